/**
 * Text made safe to print: values from the network or a file may carry escape sequences, and
 * a hostile row comment must not drive the administrator's terminal. Pure string functions,
 * used by every layer that puts such a value into a message.
 */

// C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidi overrides.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Makes text from the network safe to print: control characters become visible escapes. */
export function safe(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.codePointAt(0)!;
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** Like safe(), and folds line breaks and tabs so the value stays on one line. */
export function safeLine(text: string): string {
  return safe(text).replace(/\r?\n/g, " \u23CE ").replace(/\t/g, " ");
}
