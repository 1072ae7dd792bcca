/**
 * The command line as users type it, in the form commander reads: `-o=json` becomes
 * `-o json` (commander already reads `--output=json`, `--output json` and `-ojson`, but would
 * take `=json` as the value of `-o`). Nothing after `--` is touched.
 */
export function normalizeArgv(args: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === "--") {
      out.push(...args.slice(i));
      break;
    }
    const m = /^(-[A-Za-z])=(.*)$/s.exec(a);
    if (m) out.push(m[1]!, m[2]!);
    else out.push(a);
  }
  return out;
}
