/**
 * An altered copy beside its original: the original on the left with what the copy removed, the copy
 * on the right with what it added. Long unchanged stretches fold to a few lines of context, so the
 * edits are what the eye meets.
 */
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { DiffPart } from '../../../src/server/api-types.ts';

/** Unchanged text longer than this (characters) is folded, keeping CONTEXT_CHARS on each side. */
const FOLD_CHARS = 700;
const CONTEXT_CHARS = 220;

function Unchanged({ text, first, last }: { text: string; first: boolean; last: boolean }) {
  const [open, setOpen] = useState(false);
  if (open || text.length <= FOLD_CHARS) return <>{text}</>;
  const head = first ? '' : text.slice(0, CONTEXT_CHARS);
  const tail = last ? '' : text.slice(-CONTEXT_CHARS);
  const hidden = text.length - head.length - tail.length;
  return (
    <>
      {head}
      <button type="button" class="fold" onClick={() => setOpen(true)} title="Show the unchanged text">
        … {hidden.toLocaleString('en')} unchanged characters …
      </button>
      {tail}
    </>
  );
}

/**
 * One side's parts, with edits separated only by a space joined into one ("40 175" rather than "40"
 * and "175"): the word diff treats the space between two changed words as unchanged.
 */
export function sideParts(parts: DiffPart[], keep: '-' | '+'): DiffPart[] {
  const side = parts.filter((p) => p.op === '=' || p.op === keep);
  const out: DiffPart[] = [];
  for (let i = 0; i < side.length; i++) {
    const p = side[i]!;
    const prev = out[out.length - 1];
    const next = side[i + 1];
    if (p.op === '=' && /^[ \t]+$/.test(p.text) && prev && prev.op === keep && next && next.op === keep) {
      prev.text += p.text + next.text;
      i++;
    } else if (p.op === keep && prev && prev.op === keep) prev.text += p.text;
    else out.push({ ...p });
  }
  return out;
}

function Side({ parts, keep }: { parts: DiffPart[]; keep: '-' | '+' }) {
  const shown = sideParts(parts, keep);
  return (
    <pre class="diff-text" dir="auto">
      {shown.map((p, i) =>
        p.op === '=' ? (
          <Unchanged key={i} text={p.text} first={i === 0} last={i === shown.length - 1} />
        ) : keep === '-' ? (
          <del key={i}>{p.text}</del>
        ) : (
          <ins key={i}>{p.text}</ins>
        ),
      )}
    </pre>
  );
}

export function DiffView({ parts, originalLabel, copyLabel }: { parts: DiffPart[]; originalLabel: ComponentChildren; copyLabel: ComponentChildren }) {
  return (
    <div class="diff" role="group" aria-label="Differences with the original">
      <div class="diff-col diff-original">
        <h3>{originalLabel}</h3>
        <Side parts={parts} keep="-" />
      </div>
      <div class="diff-col diff-copy">
        <h3>{copyLabel}</h3>
        <Side parts={parts} keep="+" />
      </div>
    </div>
  );
}
