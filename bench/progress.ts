/**
 * Progress on the terminal: one line rewritten in place on a TTY, a plain line every few
 * seconds otherwise (CI logs, pipes). Writes go to stderr so stdout stays for the result path.
 */
export class Progress {
  private readonly tty = process.stderr.isTTY === true;
  private lastPlain = 0;
  private drawn = false;

  constructor(private readonly quiet = false) {}

  /** A step that starts now: printed on its own line. */
  step(message: string): void {
    if (this.quiet) return;
    this.clear();
    process.stderr.write(`» ${message}\n`);
  }

  /** The current state of a running phase; cheap to call often. */
  update(message: string): void {
    if (this.quiet) return;
    if (this.tty) {
      process.stderr.write(`\r\x1b[2K  ${message}`);
      this.drawn = true;
      return;
    }
    const now = Date.now();
    if (now - this.lastPlain >= 5_000) {
      this.lastPlain = now;
      process.stderr.write(`  ${message}\n`);
    }
  }

  /** End the in-place line (a phase finished), leaving its last state visible. */
  done(message?: string): void {
    if (this.quiet) return;
    if (message !== undefined) {
      this.clear();
      process.stderr.write(`  ${message}\n`);
    } else if (this.drawn) {
      process.stderr.write('\n');
      this.drawn = false;
    }
  }

  private clear(): void {
    if (this.drawn) {
      process.stderr.write('\r\x1b[2K');
      this.drawn = false;
    }
  }
}
