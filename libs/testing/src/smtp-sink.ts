import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message as the sink received it. */
export interface ReceivedMail {
  messageId: string;
  from: string;
  to: string[];
  subject: string;
  text: string;
  receivedAt: string;
}

export interface SmtpSinkOptions {
  port: number;
  /** Each message is also written here (`<id>.json` and `<id>.eml`), for readers in other processes. */
  spoolDir?: string;
  host?: string;
}

/**
 * A real SMTP server (smtp-server) that keeps what it receives: tests and `npm start` point
 * notification's SMTP_URL at it and read the mail back. Plain SMTP on loopback (no STARTTLS, no
 * auth). Messages are deduplicated by Message-ID, as a receiving mail system would: a resend after
 * a crash between SMTP's 250 and the sender's bookkeeping keeps one copy.
 */
export class SmtpSink {
  private readonly mails = new Map<string, ReceivedMail>();
  private readonly server: SMTPServer;
  private rejecting = 0;
  private rejectCode = 451;
  /** Every DATA the sink accepted, resends included (the dedup count). */
  deliveries = 0;

  constructor(private readonly options: SmtpSinkOptions) {
    if (options.spoolDir) mkdirSync(options.spoolDir, { recursive: true });
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, _session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (this.rejecting > 0) {
            this.rejecting--;
            const err = Object.assign(new Error('sink told to refuse this message'), { responseCode: this.rejectCode });
            callback(err);
            return;
          }
          this.keep(Buffer.concat(chunks)).then(() => callback(), callback);
        });
      },
    });
  }

  get port(): number {
    return this.options.port;
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host ?? '127.0.0.1', () => resolve());
    });
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** Answers the next `count` messages with an SMTP error (4xx: the sender retries; 5xx: it gives up). */
  refuseNext(count: number, code = 451): void {
    this.rejecting = count;
    this.rejectCode = code;
  }

  messages(): ReceivedMail[] {
    return [...this.mails.values()];
  }

  private async keep(raw: Buffer): Promise<void> {
    const parsed = await simpleParser(raw);
    const messageId = parsed.messageId ?? `<no-id-${Date.now()}-${Math.random()}>`;
    this.deliveries++;
    const to = (Array.isArray(parsed.to) ? parsed.to : parsed.to ? [parsed.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
    const mail: ReceivedMail = {
      messageId,
      from: parsed.from?.value[0]?.address ?? '',
      to,
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      receivedAt: new Date().toISOString(),
    };
    if (this.mails.has(messageId)) return;
    this.mails.set(messageId, mail);
    if (this.options.spoolDir) {
      const name = spoolName(messageId);
      writeFileSync(join(this.options.spoolDir, `${name}.eml`), raw);
      writeFileSync(join(this.options.spoolDir, `${name}.json`), JSON.stringify(mail));
    }
  }
}

function spoolName(messageId: string): string {
  return messageId.replace(/[^A-Za-z0-9@._-]/g, '_');
}

/** The messages an SmtpSink wrote to its spool directory, oldest first. */
export function readMailSpool(dir: string): ReceivedMail[] {
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.json'));
  } catch {
    return [];
  }
  return files.map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as ReceivedMail).sort((a, b) => a.receivedAt.localeCompare(b.receivedAt));
}
