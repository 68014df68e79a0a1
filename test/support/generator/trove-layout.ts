/**
 * Where each message and loose document lands for the four layouts:
 * - `mixed`: the sample leak under `leak/`: two people's mail as mbox (one CRLF, one converted to
 *   LF), two as maildirs (Maildir++ `.Sent`), one as loose .eml folders, one inside `archive.zip`
 *   (an mbox, a folder of .eml and loose documents), plus `documents/`;
 * - `maildir`: every message in `Maildir/`; `mbox`: every message in `all.mbox`;
 *   `eml`: every message as `eml/<owner>/<yyyy>/<mm>/<n>.eml`.
 * Paths are relative to the output directory; an mbox message is `path#n` (1-based).
 */
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { MAILBOX_OWNERS } from './cast.ts';
import type { Person } from './cast.ts';
import type { MessagePlan } from './correspondence.ts';
import { LEAK_DATE } from './correspondence.ts';
import { FileWriter, Maildir, MboxFile, WriteTally, writeLooseFile } from './mail-stores.ts';
import type { LineEndings, MaildirFlags } from './mail-stores.ts';
import type { Prng } from './prng.ts';
import { writeZip } from './zip-build.ts';
import type { ZipMember } from './zip-build.ts';

/** Output layouts. */
export type Layout = 'mixed' | 'maildir' | 'mbox' | 'eml';
export const LAYOUTS: readonly Layout[] = ['mixed', 'maildir', 'mbox', 'eml'];

/** Where a message was written. */
export interface StoredMessage {
  path: string;
  lineEndings: LineEndings;
  /** Body lines that got mboxrd `>From ` quoting (0 outside mbox files). */
  fromQuoted: number;
}

/** Name of the archive inside the mixed leak and of its staging folder while it fills. */
const ARCHIVE = 'leak/archive.zip';
const STAGING = '.archive-staging';
/** Messages stored within this long before the leak are still unread in `new/`. */
const UNREAD_WINDOW = 3 * 86_400_000;

type Store =
  | { kind: 'mbox'; inbox: MboxFile; sent: MboxFile; archived: boolean }
  | { kind: 'maildir'; inbox: Maildir; sent: Maildir }
  | { kind: 'eml'; dir: string; archived: boolean; inboxName: string; sentName: string };

/** Writes messages and documents for one layout, counting files and bytes. */
export class TroveLayout {
  readonly layout: Layout;
  readonly tally = new WriteTally();
  /** Background whole-file writes; await `writer.ready()` between messages. */
  readonly writer = new FileWriter();
  private readonly root: string;
  private readonly stores = new Map<string, Store>();
  private readonly usedNames = new Set<string>();
  private readonly archiveMembers: { rel: string; mtime: number }[] = [];
  private single: MboxFile | Maildir | null = null;

  constructor(root: string, layout: Layout) {
    this.root = root;
    this.layout = layout;
    if (layout === 'mbox') this.single = new MboxFile(root, 'all.mbox', 'crlf', this.tally);
    if (layout === 'maildir') this.single = new Maildir(root, 'Maildir', this.tally, this.writer);
    if (layout === 'mixed') this.openMixedStores();
  }

  private openMixedStores(): void {
    const [helene, francois, cecile, jerome, anais, paul] = MAILBOX_OWNERS as [Person, Person, Person, Person, Person, Person];
    const mbox = (p: Person, eol: LineEndings): Store => ({
      kind: 'mbox',
      inbox: new MboxFile(this.root, `leak/${p.id}/inbox.mbox`, eol, this.tally),
      sent: new MboxFile(this.root, `leak/${p.id}/sent.mbox`, eol, this.tally),
      archived: false,
    });
    const maildir = (p: Person): Store => ({
      kind: 'maildir',
      inbox: new Maildir(this.root, `leak/${p.id}/Maildir`, this.tally, this.writer),
      sent: new Maildir(this.root, `leak/${p.id}/Maildir/.Sent`, this.tally, this.writer),
    });
    this.stores.set(helene.id, mbox(helene, 'crlf'));
    this.stores.set(francois.id, mbox(francois, 'lf'));
    this.stores.set(cecile.id, maildir(cecile));
    this.stores.set(jerome.id, maildir(jerome));
    this.stores.set(anais.id, { kind: 'eml', dir: `leak/eml/${anais.id}`, archived: false, inboxName: 'Boîte de réception', sentName: 'Éléments envoyés' });
    // Paul's mail sits in the zip: inbox as an mbox, sent items as .eml files.
    const staged = new MboxFile(this.root, `${STAGING}/${paul.id}/inbox.mbox`, 'crlf', new WriteTally());
    this.stores.set(paul.id, { kind: 'mbox', inbox: staged, sent: staged, archived: true });
    this.stores.set(`${paul.id}/sent`, { kind: 'eml', dir: `${paul.id}`, archived: true, inboxName: 'Reçus', sentName: 'Envoyés' });
  }

  /** Writes `bytes` (the message of `plan`) to its place; `r` draws file-name details. */
  writeMessage(plan: MessagePlan, bytes: Buffer, r: Prng): StoredMessage {
    const envelope = plan.fromAddress.address;
    if (this.single instanceof MboxFile) {
      const { n, quoted } = this.single.append(bytes, envelope, plan.stored);
      return { path: `${this.single.relPath}#${n}`, lineEndings: 'crlf', fromQuoted: quoted };
    }
    if (this.single instanceof Maildir) return { path: this.deliver(this.single, plan, bytes, r), lineEndings: 'crlf', fromQuoted: 0 };
    if (this.layout === 'eml') {
      const d = new Date(plan.stored);
      const rel = `eml/${plan.owner.id}/${d.getUTCFullYear()}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(plan.index + 1).padStart(7, '0')}.eml`;
      writeLooseFile(this.writer, this.root, rel, bytes, this.tally);
      return { path: rel, lineEndings: 'crlf', fromQuoted: 0 };
    }
    let store = this.stores.get(plan.owner.id) as Store;
    if (store.kind === 'mbox' && store.archived && plan.folder === 'sent') store = this.stores.get(`${plan.owner.id}/sent`) as Store;
    switch (store.kind) {
      case 'mbox': {
        const file = plan.folder === 'sent' ? store.sent : store.inbox;
        const { n, quoted } = file.append(bytes, envelope, plan.stored);
        const rel = store.archived ? `${ARCHIVE}/${file.relPath.slice(STAGING.length + 1)}` : file.relPath;
        if (store.archived && n === 1) this.archiveMembers.push({ rel: file.relPath.slice(STAGING.length + 1), mtime: LEAK_DATE });
        return { path: `${rel}#${n}`, lineEndings: file.eol, fromQuoted: quoted };
      }
      case 'maildir':
        return { path: this.deliver(plan.folder === 'sent' ? store.sent : store.inbox, plan, bytes, r), lineEndings: 'crlf', fromQuoted: 0 };
      case 'eml': {
        const folder = plan.folder === 'sent' ? store.sentName : store.inboxName;
        const name = `${String(plan.index + 1).padStart(5, '0')} ${safeName(plan.subject).slice(0, 60)}.eml`;
        const inner = `${store.dir}/${folder}/${name}`;
        if (store.archived) {
          writeLooseFile(this.writer, this.root, `${STAGING}/${inner}`, bytes, new WriteTally());
          this.archiveMembers.push({ rel: inner, mtime: plan.stored });
          return { path: `${ARCHIVE}/${inner}`, lineEndings: 'crlf', fromQuoted: 0 };
        }
        writeLooseFile(this.writer, this.root, inner, bytes, this.tally);
        return { path: inner, lineEndings: 'crlf', fromQuoted: 0 };
      }
    }
  }

  private deliver(dir: Maildir, plan: MessagePlan, bytes: Buffer, r: Prng): string {
    const unread = plan.folder === 'inbox' && plan.stored > LEAK_DATE - UNREAD_WINDOW;
    const flags: MaildirFlags | null = unread
      ? null
      : plan.folder === 'sent'
        ? 'S'
        : r.weighted<MaildirFlags>([
            ['S', 70],
            ['RS', 15],
            ['FS', 5],
            ['', 10],
          ]);
    return dir.deliver(bytes, plan.stored, flags, r.int(0, 999999), r.int(1000, 32000));
  }

  /** Writes a loose document (mixed layout): in `leak/documents/`, or inside the archive. */
  writeDocument(filename: string, bytes: Buffer, inArchive: boolean, subfolder = ''): string {
    const folder = inArchive ? 'pieces-jointes' : `leak/documents${subfolder ? '/' + subfolder : ''}`;
    let name = filename;
    for (let k = 2; this.usedNames.has(`${folder}/${name}`); k++) name = filename.replace(/(\.[^.]+)$/, ` (${k})$1`);
    this.usedNames.add(`${folder}/${name}`);
    if (inArchive) {
      writeLooseFile(this.writer, this.root, `${STAGING}/${folder}/${name}`, bytes, new WriteTally());
      this.archiveMembers.push({ rel: `${folder}/${name}`, mtime: LEAK_DATE - 86_400_000 });
      return `${ARCHIVE}/${folder}/${name}`;
    }
    writeLooseFile(this.writer, this.root, `${folder}/${name}`, bytes, this.tally);
    return `${folder}/${name}`;
  }

  /** Waits for pending writes, closes mbox files and zips the staged archive. */
  async finish(): Promise<void> {
    await this.writer.flush();
    if (this.single instanceof MboxFile) this.single.close();
    const closed = new Set<MboxFile>();
    for (const store of this.stores.values()) {
      if (store.kind !== 'mbox') continue;
      for (const f of [store.inbox, store.sent]) {
        if (!closed.has(f)) {
          f.close();
          closed.add(f);
        }
      }
    }
    if (this.layout !== 'mixed') return;
    const staging = join(this.root, STAGING);
    mkdirSync(staging, { recursive: true });
    const members: ZipMember[] = this.archiveMembers.map(({ rel, mtime }) => {
      const d = new Date(mtime + 2 * 3_600_000);
      return {
        path: rel,
        file: join(staging, rel),
        mtime: { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds() },
      };
    });
    // Empty mailbox files were never listed: keep the archive's member list to what exists.
    const existing = new Set(listFiles(staging));
    const archive = join(this.root, ARCHIVE);
    mkdirSync(join(this.root, 'leak'), { recursive: true });
    await writeZip(archive, members.filter((m) => existing.has(m.path)));
    rmSync(staging, { recursive: true, force: true });
    this.tally.files++;
    this.tally.bytes += statSync(archive).size;
  }
}

/** A subject as a Windows-safe file name, without `#` (which marks mbox positions in manifest paths). */
function safeName(subject: string): string {
  // eslint-disable-next-line no-control-regex
  return subject.replace(/[/\\:*?"<>|#\u0000-\u001f]/g, ' ').replace(/\s+/g, ' ').trim() || 'sans objet';
}

function listFiles(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...listFiles(join(dir, entry.name), rel));
    else out.push(rel);
  }
  return out;
}
