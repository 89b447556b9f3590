// Why the importer flagged an item. The server writes its notes in English
// (importer/*.go: "no due date or recurrence", `unit not recognised, read as
// "hộ"`, …, several joined by "; "); the API has no Vietnamese note. In the
// Vietnamese UI the notes it knows are shown translated (message keys
// importNote.*), anything else as sent, marked lang="en" for screen readers
// and the browser's own translation; the English UI shows the note as sent.
import { useLang, useT, type MessageKey, type T } from '../i18n';

interface Known {
  re: RegExp;
  key: MessageKey;
  /** Names of the quoted parts the pattern captures, in order. */
  params?: string[];
}

// A Go %q string: "…" with backslash escapes.
const Q = '"((?:[^"\\\\]|\\\\.)*)"';
const KNOWN: Known[] = [
  { re: /^no due date or recurrence/, key: 'importNote.noDue' },
  { re: /^several dates; the first was taken as the due date/, key: 'importNote.severalDates' },
  { re: new RegExp(`^unit not recognised, read as ${Q}`), key: 'importNote.unitRead', params: ['unit'] },
  { re: /^a percentage above 100/, key: 'importNote.percentOver100' },
  { re: new RegExp(`^the clause also gives ${Q}; check whether it is a target of its own`), key: 'importNote.alsoGives', params: ['text'] },
  { re: /^no unit column or unit/, key: 'importNote.noUnit' },
  { re: /^value column guessed/, key: 'importNote.valueGuessed' },
  { re: /^no duty recognised/, key: 'importNote.noDuty' },
  { re: /^unit not identified/, key: 'importNote.noUnitIdentified' },
  { re: /^report with no frequency or deadline/, key: 'importNote.reportNoFrequency' },
  { re: /^a range up to ([\d.,]+); the lower end was taken/, key: 'importNote.rangeLower', params: ['upTo'] },
  { re: new RegExp(`^OCR unsure of ${Q}`), key: 'importNote.ocrUnsure', params: ['word'] },
];

const unquote = (s: string) => s.replace(/\\(.)/g, '$1');

export interface NotePart {
  text: string;
  /** false: not a note this UI knows, shown in English as sent. */
  translated: boolean;
}

/** The note's parts, each translated when known. */
export function reviewNoteParts(note: string, t: T): NotePart[] {
  const parts: NotePart[] = [];
  let rest = note.trim();
  while (rest) {
    let matched = false;
    for (const k of KNOWN) {
      const m = k.re.exec(rest);
      if (!m || (rest.length > m[0].length && !rest.startsWith('; ', m[0].length))) continue;
      const params = Object.fromEntries((k.params ?? []).map((name, i) => [name, unquote(m[i + 1])]));
      parts.push({ text: t(k.key, params), translated: true });
      rest = rest.slice(m[0].length).replace(/^; /, '');
      matched = true;
      break;
    }
    if (!matched) {
      parts.push({ text: rest, translated: false });
      break;
    }
  }
  return parts;
}

const capitalize = (s: string) => (s ? s[0].toLocaleUpperCase('vi') + s.slice(1) : s);

export function ReviewNote({ note, id, className = 'review-note' }: { note: string; id?: string; className?: string }) {
  const t = useT();
  const lang = useLang();
  if (lang === 'en')
    return (
      <p className={className} id={id} lang="en">
        {note}
      </p>
    );
  const parts = reviewNoteParts(note, t);
  return (
    <p className={className} id={id} data-testid="review-note">
      {parts.map((p, i) => (
        <span key={i} lang={p.translated ? undefined : 'en'}>
          {i > 0 && '; '}
          {i === 0 && p.translated ? capitalize(p.text) : p.text}
        </span>
      ))}
    </p>
  );
}
