/**
 * Status symbols, labels and colours shared by the text report, the progress lines and the
 * prompts. Every symbol has an ASCII twin for terminals and locales that cannot show Unicode;
 * every status keeps its word next to its symbol, so nothing relies on colour alone.
 */
import { Chalk, type ChalkInstance } from "chalk";

export interface Glyphs {
  ok: string;
  bad: string;
  pending: string;
  excluded: string;
  unknown: string;
  unchanged: string;
  planned: string;
  rolledBack: string;
  skipped: string;
  warning: string;
  arrow: string;
  sep: string;
  ellipsis: string;
}

export const UNICODE_GLYPHS: Glyphs = {
  ok: "✓",
  bad: "✗",
  pending: "…",
  excluded: "–",
  unknown: "?",
  unchanged: "=",
  planned: "~",
  rolledBack: "↺",
  skipped: "–",
  warning: "!",
  arrow: "→",
  sep: "·",
  ellipsis: "…",
};

export const ASCII_GLYPHS: Glyphs = {
  ok: "+",
  bad: "x",
  pending: ".",
  excluded: "-",
  unknown: "?",
  unchanged: "=",
  planned: "~",
  rolledBack: "<",
  skipped: "-",
  warning: "!",
  arrow: "->",
  sep: "|",
  ellipsis: "...",
};

/**
 * Can the terminal show Unicode symbols? Like is-unicode-supported (ora's choice), plus the
 * locale: an explicit `C`/`POSIX` or non-UTF-8 LC_ALL / LC_CTYPE / LANG means ASCII.
 */
export function unicodeSupported(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): boolean {
  const locale = env.LC_ALL || env.LC_CTYPE || env.LANG || "";
  if (locale !== "") {
    if (locale === "C" || locale === "POSIX") return false;
    if (locale.includes(".") && !/utf-?8/i.test(locale)) return false;
  }
  if (platform !== "win32") return env.TERM !== "linux"; // the Linux console lacks the glyphs
  return Boolean(env.WT_SESSION || env.TERMINUS_SUBLIME || env.ConEmuTask === "{cmd::Cmder}" || env.TERM_PROGRAM === "vscode" || env.TERM === "xterm-256color" || env.TERM === "alacritty" || env.TERMINAL_EMULATOR === "JetBrains-JediTerm");
}

/** The glyph set for this terminal (or the one asked for). */
export function glyphsFor(unicode: boolean = unicodeSupported()): Glyphs {
  return unicode ? UNICODE_GLYPHS : ASCII_GLYPHS;
}

export type Tone = "ok" | "bad" | "warn" | "dim" | "plain";

const TONE: Record<string, Tone> = {
  joined: "ok",
  updated: "ok",
  restored: "ok",
  restarted: "ok",
  detached: "ok",
  promoted: "ok",
  conflict: "bad",
  in_sync: "ok",
  unchanged: "ok",
  planned: "warn",
  pending: "warn",
  unknown: "warn",
  skipped: "dim",
  excluded: "dim",
  failed: "bad",
  rolled_back: "bad",
  unreachable: "bad",
  out_of_sync: "bad",
  not_joined: "bad",
};

/** How a status reads at a glance: ok, bad, warn (not yet / would change), dim (left out). */
export function toneOf(status: string): Tone {
  return TONE[status] ?? "plain";
}

/** The statuses with a symbol other than `bad`, by symbol. */
const GLYPH_STATUSES: readonly (readonly [keyof Glyphs, readonly string[]])[] = [
  ["ok", ["joined", "updated", "in_sync", "restored", "restarted", "detached", "promoted"]],
  ["unchanged", ["unchanged"]],
  ["planned", ["planned"]],
  ["pending", ["pending"]],
  ["excluded", ["excluded"]],
  ["skipped", ["skipped"]],
  ["rolledBack", ["rolled_back"]],
  ["unknown", ["unknown"]],
];
const GLYPH = new Map(GLYPH_STATUSES.flatMap(([glyph, statuses]) => statuses.map((s) => [s, glyph] as const)));

/** The symbol for a node or section status (`bad` for every status not listed above). */
export function glyphOf(status: string, g: Glyphs): string {
  return g[GLYPH.get(status) ?? "bad"];
}

/** A status as words: `rolled_back` reads "rolled back". */
export function labelOf(status: string): string {
  return status.replace(/_/g, " ");
}

/** The styles a renderer uses; every one is the identity when colour is off. */
export interface Style {
  bold(s: string): string;
  dim(s: string): string;
  tone(t: Tone, s: string): string;
}

/** Styles for one rendering: colour only when asked (its own chalk instance, never global state). */
export function styleFor(color: boolean, level: 0 | 1 | 2 | 3 = 1): Style {
  if (!color) {
    const id = (s: string): string => s;
    return { bold: id, dim: id, tone: (_t, s) => s };
  }
  const c: ChalkInstance = new Chalk({ level: level === 0 ? 1 : level });
  return {
    bold: (s) => c.bold(s),
    dim: (s) => c.dim(s),
    tone: (t, s) => (t === "ok" ? c.green(s) : t === "bad" ? c.red(s) : t === "warn" ? c.yellow(s) : t === "dim" ? c.dim(s) : s),
  };
}
