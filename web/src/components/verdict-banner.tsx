import { verdictMeaning, verdictTone } from '../../../src/server/verdict-words.ts';
import { VerdictBadge } from './verdict-badge.tsx';

/** The verdict first, in words a journalist can quote, then what the verdict means in general. */
export function VerdictBanner({ verdict, summary }: { verdict: string | null; summary: string | null }) {
  return (
    <section class={`verdict-banner tone-border-${verdictTone(verdict)}`} aria-label="Verdict">
      <VerdictBadge verdict={verdict} large />
      <div>
        <p class="verdict-summary">{summary ?? (verdict ? verdictMeaning(verdict) : 'Not verified yet: run `trove verify` on the case.')}</p>
        {verdict && summary && verdictTone(verdict) !== 'unknown' && <p class="muted verdict-meaning">{verdictMeaning(verdict)}</p>}
      </div>
    </section>
  );
}
