/** A step's log in memory until it is stored as the artifact of its tracking run. */
const LIMIT = 8 * 1024 * 1024;

export class StepLog {
  private parts: string[] = [];
  private size = 0;
  private dropped = 0;

  append(text: string): void {
    if (this.size + text.length > LIMIT) {
      this.dropped += text.length;
      return;
    }
    this.parts.push(text);
    this.size += text.length;
  }

  line(text: string): void {
    this.append(text.endsWith('\n') ? text : `${text}\n`);
  }

  text(): string {
    return this.parts.join('') + (this.dropped ? `[gyre: ${this.dropped} more characters were not kept]\n` : '');
  }
}
