import { verdictMeaning, verdictTone } from '../../../src/server/verdict-words.ts';

/** A verdict as a coloured badge; its meaning is the tooltip. */
export function VerdictBadge({ verdict, large }: { verdict: string | null; large?: boolean }) {
  const v = verdict ?? 'not verified';
  return (
    <span class={`badge tone-${verdictTone(verdict)}${large ? ' badge-large' : ''}`} title={verdictMeaning(verdict)} data-verdict={v}>
      {v}
    </span>
  );
}
