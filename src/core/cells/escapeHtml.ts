const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text as HTML text or attribute value: & < > " ' escaped, and other control
 * characters but tab and newline as numeric references (a raw CR would be
 * read as a line break).
 */
export function escapeHtml(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[&<>"']|[\u0000-\u0008\u000b-\u001f\u007f]/g, (ch) => ENTITIES[ch] ?? `&#${ch.charCodeAt(0)};`);
}
