import assert from 'node:assert/strict';
import { test } from 'node:test';
import { threadMessages, extractMessageIds, type Thread, type ThreadInput, type ThreadNode, type ThreadResult } from '../../src/threads/jwz.ts';

const T0 = Date.UTC(2017, 2, 1, 9, 0, 0);

/** A message `id` with Message-ID `<id@x>`, sent `minute` minutes after T0, with subject "Budget". */
function msg(id: string, minute: number, fields: Partial<ThreadInput> & { refs?: string[] } = {}): ThreadInput {
  const { refs, ...rest } = fields;
  return {
    id, messageId: `<${id}@x>`, inReplyTo: null, references: (refs ?? []).map((r) => `<${r}@x>`),
    subject: 'Budget', date: new Date(T0 + minute * 60_000).toISOString(), ...rest,
  };
}

/** "a(b(c),d)": item ids, or the key of a container without a message. */
function shape(node: ThreadNode): string {
  const label = node.itemId ?? node.messageId;
  return node.children.length === 0 ? label : `${label}(${node.children.map(shape).join(',')})`;
}

function shapes(result: ThreadResult): string[] {
  return result.threads.map((t) => shape(t.root));
}

function only(result: ThreadResult): Thread {
  if (result.threads.length !== 1) assert.fail(`one thread expected, got ${shapes(result).join(' | ')}`);
  return result.threads[0]!;
}

test('a simple reply chain is one thread named after its root message', () => {
  const r = threadMessages([
    msg('c', 20, { refs: ['a', 'b'], subject: 'RE : Budget' }),
    msg('a', 0),
    msg('b', 10, { refs: ['a'], subject: 'Re: Budget' }),
  ]);
  const t = only(r);
  assert.equal(shape(t.root), 'a(b(c))');
  assert.equal(t.id, 'a');
  assert.equal(t.size, 3);
  assert.equal(t.subject, 'Budget');
  assert.equal(t.firstDate, '2017-03-01T09:00:00.000Z');
  assert.equal(t.lastDate, '2017-03-01T09:20:00.000Z');
  assert.deepEqual([...r.threadOf].sort(), [['a', 'a'], ['b', 'a'], ['c', 'a']]);
});

test('forks: siblings are sorted by date, not by input order', () => {
  const r = threadMessages([
    msg('a', 0),
    msg('b', 30, { refs: ['a'] }),
    msg('c', 10, { refs: ['a'] }),
    msg('d', 40, { refs: ['a', 'b'] }),
    msg('e', 20, { refs: ['a', 'c'] }),
  ]);
  assert.equal(shape(only(r).root), 'a(c(e),b(d))');
});

test('a missing middle message: the chain holds, the empty container is pruned (JWZ step 4)', () => {
  const r = threadMessages([msg('a', 0), msg('c', 20, { refs: ['a', 'b'] })]);
  assert.equal(shape(only(r).root), 'a(c)');
});

test('a missing root with two replies stays as an empty container holding the thread', () => {
  const r = threadMessages([msg('b', 10, { refs: ['a'] }), msg('c', 20, { refs: ['a'] })]);
  const t = only(r);
  assert.equal(shape(t.root), '<a@x>(b,c)');
  assert.equal(t.root.itemId, null);
  assert.equal(t.id, 'b');
  assert.equal(t.size, 2);
});

test('a missing root with one reply is dropped: the reply becomes the root', () => {
  const r = threadMessages([msg('b', 10, { refs: ['a'] }), msg('c', 20, { refs: ['a', 'b'] })]);
  assert.equal(shape(only(r).root), 'b(c)');
});

test('References win over In-Reply-To; In-Reply-To is used only without References (RFC 5256)', () => {
  const r = threadMessages([
    msg('a', 0),
    msg('b', 10, { refs: ['a'] }),
    msg('c', 20, { refs: ['a'], inReplyTo: '<b@x>' }),
    msg('d', 30, { inReplyTo: '<b@x>' }),
  ]);
  assert.equal(shape(only(r).root), 'a(b(d),c)');
});

test('garbage In-Reply-To: the first <id> is taken, bare addresses are not', () => {
  const r = threadMessages([
    msg('a', 0, { subject: 'One' }),
    msg('b', 10, { subject: 'Two', inReplyTo: 'Message from bob@x.org of "Mon, 3 Mar 2017 10:00" <a@x>' }),
    msg('c', 20, { subject: 'Three', inReplyTo: 'bob@x.org' }),
  ]);
  assert.deepEqual(shapes(r), ['a(b)', 'c']);
  assert.deepEqual(extractMessageIds('<a@x> <b\r\n @x>'), ['<a@x>', '<b@x>']);
  assert.deepEqual(extractMessageIds('a@x b@x', true), ['<a@x>', '<b@x>']);
  assert.deepEqual(extractMessageIds('a@x b@x'), []);
});

test('cycles: A refs B and B refs A give one thread without a loop', () => {
  const r = threadMessages([
    msg('a', 0, { refs: ['b'] }),
    msg('b', 10, { refs: ['a'] }),
  ]);
  assert.equal(shape(only(r).root), 'b(a)');
  const longer = threadMessages([
    msg('a', 0, { refs: ['c', 'b'] }),
    msg('b', 10, { refs: ['a'] }),
    msg('c', 20, { refs: ['b'] }),
    msg('d', 30, { refs: ['d', 'a', 'd'] }), // names itself
  ]);
  const t = only(longer);
  assert.equal(t.size, 4);
  assertTree(t);
});

test('duplicate Message-IDs: both messages are threaded; the earliest keeps the ID and its replies', () => {
  const r = threadMessages([
    msg('late', 50, { messageId: '<dup@x>', subject: 'Other' }),
    msg('early', 0, { messageId: '<dup@x>', subject: 'Budget' }),
    msg('reply', 60, { refs: ['dup'], subject: 'Re: Budget' }),
  ]);
  assert.deepEqual(shapes(r), ['early(reply)', 'late']);
  assert.equal(r.threads[1]!.root.messageId, 'trove:dup:late:<dup@x>');
  assert.equal(r.threadOf.get('late'), 'late');
});

test('messages without a Message-ID get a synthetic key and still find their parent', () => {
  const r = threadMessages([
    msg('a', 0),
    msg('b', 10, { messageId: null, refs: ['a'] }),
    msg('c', 20, { messageId: '   ', subject: 'Other' }),
  ]);
  assert.deepEqual(shapes(r), ['a(b)', 'c']);
  assert.equal(r.threads[0]!.root.children[0]!.messageId, 'trove:none:b');
  assert.equal(r.threads[1]!.root.messageId, 'trove:none:c');
});

test('a message without References drops a parent presumed from others (JWZ step 1C)', () => {
  // c says a > b > c; b itself names no parent, so b is a root.
  const r = threadMessages([msg('c', 20, { refs: ['a', 'b'] }), msg('b', 30), msg('a', 40, { subject: 'Other' })]);
  assert.deepEqual(shapes(r), ['b(c)', 'a']);
});

test('subject grouping: French RE : and TR : replies without References join the original', () => {
  const r = threadMessages([
    msg('orig', 0, { subject: 'Réunion du lundi' }),
    msg('re', 10, { subject: 'RE : Réunion du lundi' }),
    msg('tr', 20, { subject: 'TR : RE : réunion  du LUNDI' }),
    msg('else', 30, { subject: 'Autre chose' }),
  ]);
  assert.deepEqual(shapes(r), ['orig(re,tr)', 'else']);
  assert.equal(r.threads[0]!.subject, 'Réunion du lundi');
});

test('subject grouping: two originals are two conversations; replies only go side by side under a subject container', () => {
  const r = threadMessages([
    msg('a', 0, { subject: 'Rapport' }),
    msg('b', 10, { subject: 'Rapport' }),
    msg('c', 20, { subject: 'Re: Rapport' }),
  ]);
  assert.deepEqual(shapes(r), ['a', 'b(c)'], 'the reply joins the latest original of its subject');
  const replies = threadMessages([msg('a', 0, { subject: 'RE : Rapport' }), msg('b', 10, { subject: 'TR: Rapport' })]);
  assert.deepEqual(shapes(replies), ['trove:subject:rapport(a,b)']);
  assert.equal(only(replies).id, 'a');
});

test('subject grouping joins a reply only to a conversation active within 30 days', () => {
  const day = 24 * 60;
  const r = threadMessages([
    msg('jan', 0, { subject: 'Budget' }),
    msg('re1', 2 * day, { subject: 'Re: Budget' }),
    msg('re2', 31 * day, { subject: 'Re: Budget' }),
    msg('late', 70 * day, { subject: 'Re: Budget' }),
    msg('later', 75 * day, { subject: 'RE: Budget' }),
  ]);
  assert.deepEqual(shapes(r), ['jan(re1,re2)', 'trove:subject:budget(late,later)'], 'within 30 days of the last message, chained; 39 days later, another conversation');
});

test('subject grouping never hangs a message under a missing message, or the reverse', () => {
  const r = threadMessages([
    msg('d', 0, { subject: 'Rapport' }),
    msg('b', 10, { refs: ['gone'], subject: 'Re: Rapport' }),
    msg('c', 20, { refs: ['gone'], subject: 'Re: Rapport' }),
  ]);
  assert.deepEqual(shapes(r), ['trove:subject:rapport(d,<gone@x>(b,c))']);
});

test('subject grouping can be turned off', () => {
  const r = threadMessages([msg('a', 0), msg('b', 10, { subject: 'Re: Budget' })], { groupBySubject: false });
  assert.deepEqual(shapes(r), ['a', 'b']);
});

test('empty and generic subjects never merge threads', () => {
  const r = threadMessages([
    msg('a', 0, { subject: null }),
    msg('b', 10, { subject: '' }),
    msg('c', 20, { subject: 'Re:' }),
    msg('d', 30, { subject: '(no subject)' }),
    msg('e', 40, { subject: 'Sans objet' }),
    msg('f', 50, { subject: 'RE : Sans objet' }),
    msg('g', 60, { subject: 'Bonjour' }),
    msg('h', 70, { subject: 'RE : bonjour' }),
  ]);
  assert.equal(r.threads.length, 8);
});

test('undated messages sort after dated ones, by item id', () => {
  const r = threadMessages([
    msg('a', 0),
    msg('z', 0, { refs: ['a'], date: null }),
    msg('y', 0, { refs: ['a'], date: 'not a date' }),
    msg('b', 5, { refs: ['a'] }),
  ]);
  const t = only(r);
  assert.equal(shape(t.root), 'a(b,y,z)');
  assert.equal(t.lastDate, '2017-03-01T09:05:00.000Z');
});

test('item ids must be unique', () => {
  assert.throws(() => threadMessages([msg('a', 0), msg('a', 1)]), /item id a is given twice/);
});

/** Every hard case at once, for the order-independence test. */
function mixedCorpus(): ThreadInput[] {
  return [
    msg('a', 0), msg('b', 10, { refs: ['a'] }), msg('c', 10, { refs: ['a'] }), msg('d', 30, { refs: ['a', 'b'] }),
    msg('e', 40, { refs: ['a', 'missing', 'b'] }), msg('f', 50, { refs: ['ghost'] }), msg('g', 60, { refs: ['ghost'] }),
    msg('h', 70, { refs: ['i'] }), msg('i', 80, { refs: ['h'] }), msg('j', 5, { messageId: '<a@x>' }),
    msg('k', 5, { messageId: '<a@x>' }), msg('l', 90, { messageId: null, refs: ['k'] }), msg('m', 100, { messageId: null }),
    msg('n', 110, { subject: 'RE : Budget' }), msg('o', 120, { subject: 'TR : Budget', inReplyTo: 'garbage <zz@x>' }),
    msg('p', 0, { subject: null }), msg('q', 0, { subject: '' }), msg('r', 130, { date: null, refs: ['q'] }),
    msg('s', 140, { refs: ['s'] }), msg('t', 150, { subject: 'Autre', refs: ['u', 'v'] }), msg('u', 160, { refs: ['t'] }),
    msg('v', 170, { subject: 'Autre', date: null }), msg('w', 0, { subject: 'Budget' }), msg('x', 0, { subject: 'Re: Budget', messageId: '<a@x>' }),
  ];
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: readonly T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

test('input order does not matter: 20 shuffles give the same threads and ids', () => {
  const corpus = mixedCorpus();
  const expected = threadMessages(corpus);
  const random = seeded(42);
  for (let i = 0; i < 20; i++) {
    const got = threadMessages(shuffle(corpus, random));
    assert.deepEqual(got.threads, expected.threads);
    assert.deepEqual([...got.threadOf].sort(), [...expected.threadOf].sort());
  }
  assertInvariants(corpus, expected);
});

/** 10,000 messages in threads of 1-40, with every kind of damage a leak shows. */
function generatedCorpus(count: number, random: () => number): ThreadInput[] {
  const out: ThreadInput[] = [];
  const subjects = ['Budget', 'Réunion', 'Rapport Q3', '', 'Bonjour', 'Plan média', 'Invitation'];
  let thread = 0;
  while (out.length < count) {
    thread++;
    const size = 1 + Math.floor(random() * Math.min(40, count - out.length));
    const ids: string[] = [];
    const chains: string[][] = [];
    const subject = `${subjects[thread % subjects.length]} ${thread % 50 === 0 ? '' : thread}`;
    for (let k = 0; k < size; k++) {
      const id = `m${out.length}`;
      const parent = k === 0 ? -1 : Math.floor(random() * k);
      const chain = parent < 0 ? [] : [...chains[parent]!, ids[parent]!];
      ids.push(id);
      chains.push(chain);
      const dice = random();
      const refs = dice < 0.05 ? [] : dice < 0.1 ? chain.slice(-1) : chain.slice(-12);
      let references = refs.map((r) => `<${r}@x>`);
      if (random() < 0.01 && ids.length > 1) references = [...references, `<${ids[0]}@x>`, `<${id}@x>`]; // loops
      if (random() < 0.02) references = ['<lost' + thread + '@x>', ...references]; // a root we never had
      out.push({
        id,
        messageId: random() < 0.01 ? null : random() < 0.01 ? `<m${Math.floor(random() * out.length)}@x>` : `<${id}@x>`,
        inReplyTo: dice < 0.05 && parent >= 0 ? `Message of bob@x.org <${ids[parent]}@x>` : null,
        references,
        subject: k === 0 ? subject : random() < 0.5 ? `RE : ${subject}` : `Re: ${subject}`,
        date: random() < 0.02 ? null : new Date(T0 + thread * 3_600_000 + Math.floor(random() * 3_600_000)).toISOString(),
      });
    }
  }
  // Drop some messages: missing middles and roots.
  return out.filter(() => random() > 0.05);
}

/** A tree check: no node twice (so no cycle), containers without a message hold at least two. */
function assertTree(thread: Thread): string[] {
  const seen = new Set<ThreadNode>();
  const items: string[] = [];
  const stack = [thread.root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    assert.ok(!seen.has(node), 'a node is reached twice');
    seen.add(node);
    if (node.itemId === null) assert.ok(node.children.length >= 2, `container ${node.messageId} holds ${node.children.length}`);
    else items.push(node.itemId);
    stack.push(...node.children);
  }
  assert.equal(items.length, thread.size);
  assert.ok(items.includes(thread.id));
  return items;
}

function assertInvariants(inputs: readonly ThreadInput[], result: ThreadResult): void {
  const where = new Map<string, string>();
  let total = 0;
  for (const thread of result.threads) {
    total += thread.size;
    for (const item of assertTree(thread)) {
      assert.ok(!where.has(item), `${item} appears twice`);
      where.set(item, thread.id);
    }
  }
  assert.equal(total, inputs.length);
  assert.equal(where.size, inputs.length);
  for (const input of inputs) assert.equal(result.threadOf.get(input.id), where.get(input.id), input.id);
  assert.equal(new Set(result.threads.map((t) => t.id)).size, result.threads.length, 'thread ids are unique');
}

test('10,000 generated messages: every message once, sizes add up, no cycles, order-independent', () => {
  const random = seeded(7);
  const corpus = generatedCorpus(10_000, random);
  const result = threadMessages(corpus);
  assertInvariants(corpus, result);
  assert.ok(result.threads.length > 100 && result.threads.length < corpus.length / 3, `${result.threads.length} threads`);
  const again = threadMessages(shuffle(corpus, random));
  assert.deepEqual(again.threads, result.threads);
});

test('a 50,000-message reply chain does not overflow the stack', () => {
  const chain: ThreadInput[] = [];
  for (let i = 0; i < 50_000; i++) chain.push(msg(`c${i}`, i, { refs: i === 0 ? [] : [`c${i - 1}`] }));
  const t = only(threadMessages(chain.reverse()));
  assert.equal(t.size, 50_000);
  assert.equal(t.id, 'c0');
});

test('random reference graphs full of loops and re-parenting: every message once, no cycle', () => {
  // Few Message-IDs, many references among them: most links are contested, many would close loops.
  for (let seed = 1; seed <= 500; seed++) {
    const random = seeded(seed);
    const space = 3 + Math.floor(random() * 30);
    const pick = (): string => `<${Math.floor(random() * space)}@x>`;
    const corpus: ThreadInput[] = [];
    for (let i = 0, n = 1 + Math.floor(random() * 50); i < n; i++) {
      corpus.push({
        id: `i${i}`, messageId: random() < 0.05 ? null : pick(), inReplyTo: random() < 0.3 ? `see ${pick()}` : null,
        references: Array.from({ length: Math.floor(random() * 6) }, pick),
        subject: ['Budget', 'Re: Budget', 'Plan', '', 'RE : Plan'][Math.floor(random() * 5)]!,
        date: random() < 0.1 ? null : new Date(T0 + Math.floor(random() * 1e6) * 1000).toISOString(),
      });
    }
    assertInvariants(corpus, threadMessages(corpus));
  }
});
