/**
 * A view drawn again in place on a terminal (`verify --watch`): the cursor is hidden while it
 * runs, each frame replaces the one before (cursor up over it, erase below, draw), and on
 * close the cursor is shown again and the last frame stays on screen. The cursor comes back
 * even when the process ends some other way (a second Ctrl-C exits at once): an exit hook.
 * Frames must fit the terminal (no line wider than it, fewer lines than it has rows), else
 * moving up over them would land in the wrong place; after a resize the screen is cleared.
 */
const HIDE = "\u001b[?25l";
const SHOW = "\u001b[?25h";
const ERASE_DOWN = "\u001b[J";
const HOME_CLEAR = "\u001b[H\u001b[2J";

export class LiveView {
  private drawn = 0;
  private closed = false;
  private resized = false;
  private readonly onExit = (): void => void this.out.write(SHOW);
  private readonly onResize = (): void => void (this.resized = true);

  constructor(private readonly out: NodeJS.WriteStream) {
    out.write(HIDE);
    process.on("exit", this.onExit);
    out.on("resize", this.onResize);
  }

  /** The terminal's size now. */
  get size(): { width: number; height: number } {
    return { width: this.out.columns || 80, height: this.out.rows || 24 };
  }

  /** Replaces the frame on screen with these lines. */
  draw(lines: readonly string[]): void {
    if (this.closed) return;
    let s = "";
    if (this.resized) s += HOME_CLEAR;
    else if (this.drawn > 0) s += `\r\u001b[${this.drawn}A`;
    this.resized = false;
    s += ERASE_DOWN + lines.map((l) => l + "\n").join("");
    this.drawn = lines.length;
    this.out.write(s);
  }

  /** Shows the cursor again; the last frame stays. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.out.off("resize", this.onResize);
    process.off("exit", this.onExit);
    this.out.write(SHOW);
  }
}
