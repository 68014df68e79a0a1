/** The DKIM verification of an email: the verdict in plain words, then every signature's evidence. */
import type { DkimView, SignatureView } from '../../../src/server/api-types.ts';

function Check({ label, result }: { label: string; result: string }) {
  const cls = result === 'pass' ? 'check-pass' : result === 'fail' ? 'check-fail' : 'check-none';
  const mark = result === 'pass' ? '✓' : result === 'fail' ? '✗' : '–';
  return (
    <div class={`check ${cls}`}>
      <span class="check-mark" aria-hidden="true">{mark}</span>
      <span>
        {label}: <b>{result === 'not-checked' ? 'not checked' : result}</b>
      </span>
    </div>
  );
}

function keyWords(s: SignatureView): string {
  if (!s.key) return 'not in the key store';
  const kind = s.key.type === 'ed25519' ? 'Ed25519' : `${s.key.bits ?? '?'}-bit RSA`;
  return `${kind}, ${s.key.source}${s.key.testing ? ' (marked as a test key, t=y)' : ''}`;
}

/** The signature the verdict rests on: a passing one by the sender's domain first. */
function decidingSignature(list: SignatureView[]): SignatureView {
  const rank = (s: SignatureView): number => (s.status === 'pass' ? (s.aligned ? 0 : 1) : s.status === 'body-modified' || s.status === 'headers-modified' ? 2 : 3);
  return [...list].sort((a, b) => rank(a) - rank(b))[0]!;
}

/** What one signature establishes, one short sentence per fact. */
function plainWords(s: SignatureView): string[] {
  const d = s.domain ?? 'the signer';
  const out: string[] = [];
  if (s.status === 'key-unavailable') return [`Signed by ${d}, but its key (selector ${s.selector ?? '?'}) is not in the key store: this signature cannot be checked yet. That is not a sign of forgery.`];
  if (s.status === 'malformed' || s.status === 'key-invalid' || s.status === 'key-revoked') return [s.reason];
  if (s.signature === 'pass') out.push(`The signed headers (${s.signedHeaders.filter((h, i, a) => a.indexOf(h) === i).join(', ')}) are exactly as ${d} signed them.`);
  else if (s.signature === 'fail') out.push(`The signed headers were changed after ${d} signed them.`);
  if (s.bodyHash === 'pass') out.push(s.bodyLength !== null && s.unsignedBodyBytes > 0 ? `The first ${s.bodyLength} bytes of the body are as signed; the rest is not covered.` : 'The text and attachments are exactly as signed.');
  else if (s.bodyHash === 'fail') out.push('The text or attachments were changed after signing.');
  out.push(s.aligned ? `The signer is the sender's own domain (${d}).` : `The signer (${d}) is not the sender's domain (${s.fromDomain ?? 'none'}): it vouches for the message, the sender's domain does not.`);
  if (s.key) out.push(`The key: ${s.key.type === 'ed25519' ? 'Ed25519' : `${s.key.bits ?? '?'}-bit RSA`}, ${s.key.source}${s.weakKey ? ', short enough to be forged' : ''}.`);
  if (s.unsignedHeaders.length > 0) out.push(`Not protected by the signature: ${s.unsignedHeaders.join(', ')}.`);
  if (s.repairsDescribed.length > 0) out.push(`It passed after undoing transport damage: ${s.repairsDescribed.join('; ')}.`);
  return out;
}

function Signature({ s, index }: { s: SignatureView; index: number }) {
  return (
    <section class="signature">
      <h4>
        Signature {index + 1}: <span class="mono">{s.domain ?? '?'}</span>, selector <span class="mono">{s.selector ?? '?'}</span>{' '}
        <span class={`status status-${s.status}`}>{s.status}</span>
      </h4>
      <p>{s.reason}</p>
      <div class="checks">
        <Check label="Header signature" result={s.signature} />
        <Check label="Body hash" result={s.bodyHash} />
        <Check label={`Signer is the From: domain${s.fromDomain ? ` (${s.fromDomain})` : ''}`} result={s.aligned ? 'pass' : 'fail'} />
      </div>
      <dl class="facts">
        <dt>Key</dt>
        <dd>
          {keyWords(s)}
          {s.key?.fingerprint && (
            <>
              {' '}· fingerprint <span class="mono">{s.key.fingerprint.slice(0, 32)}</span>
            </>
          )}
        </dd>
        <dt>Algorithm</dt>
        <dd>
          {s.algorithm ?? '?'}, canonicalization {s.headerCanon ?? '?'}/{s.bodyCanon ?? '?'}
          {s.weakAlgorithm && <span class="warn"> rsa-sha1 is a weak algorithm (RFC 8301).</span>}
          {s.weakKey && <span class="warn"> The key is short enough to be forged.</span>}
        </dd>
        <dt>Signed headers</dt>
        <dd class="chips">
          {s.signedHeaders.map((h, i) => (
            <span class="chip" key={`${h}-${i}`}>{h}</span>
          ))}
        </dd>
        {s.unsignedHeaders.length > 0 && (
          <>
            <dt>Not signed</dt>
            <dd class="chips">
              {s.unsignedHeaders.map((h) => (
                <span class="chip chip-warn" key={h}>{h}</span>
              ))}
              <span class="muted"> (shown by mail clients but not covered: they could have been changed)</span>
            </dd>
          </>
        )}
        {s.extraInstances.length > 0 && (
          <>
            <dt>Added headers</dt>
            <dd class="warn">More {s.extraInstances.join(', ')} headers than the signature covers: one was added after signing.</dd>
          </>
        )}
        {s.bodyLength !== null && (
          <>
            <dt>Body length (l=)</dt>
            <dd class={s.unsignedBodyBytes > 0 ? 'warn' : undefined}>
              Only the first {s.bodyLength} bytes of the body are signed{s.unsignedBodyBytes > 0 ? `; ${s.unsignedBodyBytes} bytes after them are not covered.` : '.'}
            </dd>
          </>
        )}
        {s.timestamp && (
          <>
            <dt>Signed at</dt>
            <dd>
              {s.timestamp}
              {s.expiration && ` · expires ${s.expiration}${s.expired ? ' (expired since: reported, not fatal)' : ''}`}
            </dd>
          </>
        )}
        {s.repairsDescribed.length > 0 && (
          <>
            <dt>Repairs</dt>
            <dd>
              Passed after undoing transport damage: {s.repairsDescribed.join('; ')}.
            </dd>
          </>
        )}
        <dt>Header field</dt>
        <dd class="mono">{s.field}</dd>
      </dl>
    </section>
  );
}

export function DkimPanel({ dkim }: { dkim: DkimView | null }) {
  if (!dkim) {
    return (
      <section class="panel dkim-panel" aria-label="Verification">
        <h2>Verification (DKIM)</h2>
        <p>Not verified yet: run <code>trove verify</code> on the case.</p>
      </section>
    );
  }
  return (
    <section class="panel dkim-panel" aria-label="Verification">
      <h2>Verification (DKIM)</h2>
      {dkim.signatures.length === 0 && <p class="plain-words">{dkim.summary}</p>}
      {dkim.signatures.length > 0 && (
        <ul class="plain-words">
          {plainWords(decidingSignature(dkim.signatures)).map((w) => (
            <li key={w}>{w}</li>
          ))}
          {dkim.signatures.length > 1 && <li class="muted">{dkim.signatures.length - 1} more signature{dkim.signatures.length === 2 ? '' : 's'} below.</li>}
        </ul>
      )}
      {dkim.shownNotSigned.length > 0 && (
        <ul class="warn">
          {dkim.shownNotSigned.map((w) => (
            <li key={w}>{w}</li>
          ))}
        </ul>
      )}
      {dkim.signatures.length === 0 ? (
        <p class="muted">No DKIM signature on this message.</p>
      ) : (
        <details class="dkim-details" open>
          <summary>
            The details: {dkim.signatures.length} signature{dkim.signatures.length === 1 ? '' : 's'} (domain, selector, key, headers, results)
          </summary>
          {dkim.signatures.map((s, i) => (
            <Signature s={s} index={i} key={i} />
          ))}
          <p class="muted">
            Checked offline, against the key store of this case: the same message and keys give the same result on any machine (<code>trove show ID</code>).
          </p>
        </details>
      )}
    </section>
  );
}
