/** The query language in short, with examples that fill the search box (the full contract is docs/search.md). */
const EXAMPLES: [string, string][] = [
  ['macron virement', 'both words (a space means AND)'],
  ['"budget prévisionnel"', 'the exact phrase'],
  ['macron OR fillon', 'either word'],
  ['macron -fillon', 'macron but not fillon'],
  ['factur*', 'words starting with factur'],
  ['"budget 2017"~3', 'the words at most 3 apart'],
  ['from:elysee.fr', 'sender name or address'],
  ['to:"jean dupont"  cc:  participant:', 'recipients; anyone on the email'],
  ['subject:budget  body:virement', 'in the subject, in the text'],
  ['filename:facture*  type:pdf', 'file names; item kind or format'],
  ['verdict:authentic', 'trove\'s verdict (authentic, body-modified, altered-copy …)'],
  ['date:2017-03-01..2017-04-24', 'sent between two days (date:2017, date:>2017-03 …)'],
  ['domain:en-marche.fr', 'any address of that domain'],
  ['size:>1MB  has:attachment', 'size; emails with attachments'],
];

export function SyntaxHelp({ onPick }: { onPick: (example: string) => void }) {
  return (
    <details class="syntax-help">
      <summary>Search syntax</summary>
      <table>
        <tbody>
          {EXAMPLES.map(([q, what]) => (
            <tr key={q}>
              <td>
                <button type="button" class="example" onClick={() => onPick(q.split('  ')[0]!)} title="Put this in the search box">
                  <code>{q}</code>
                </button>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="hint">
        Precedence: NEAR, then NOT/-, then AND, then OR; use parentheses when in doubt. Fields apply to a group: <code>from:(macron OR fillon)</code>.
        Keys: <kbd>/</kbd> search, <kbd>j</kbd>/<kbd>k</kbd> or arrows move, <kbd>Enter</kbd> opens, <kbd>Esc</kbd> goes back.
      </p>
    </details>
  );
}
