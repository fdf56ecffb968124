/**
 * Local stand-ins for the notification services, on loopback, for the fire
 * drill and the live Alertmanager tests: one HTTP server
 * playing Slack incoming webhooks, PagerDuty Events v2, Opsgenie, Teams,
 * Amazon SNS's Publish, the generic webhook and the heartbeat (told apart by path), and an SMTP server that requires the
 * credentials Alertmanager must read from its password file.
 */
import { type Server, createServer } from "node:http";
import { SMTPServer } from "smtp-server";
import { freePort } from "../harness/processes";

export interface HttpDelivery {
  path: string;
  body: any;
  at: number;
  /** The Authorization header, for senders that carry their credential there (Opsgenie's `GenieKey <key>`). */
  authorization?: string;
}

export class HttpSink {
  readonly deliveries: HttpDelivery[] = [];
  private server?: Server;
  port = 0;

  /**
   * @param host Address to listen on and to put in URLs: loopback, or the Docker bridge's
   * gateway address when containers send to it through `host.docker.internal` (the e2e).
   */
  constructor(readonly host = "127.0.0.1") {}

  async start(): Promise<void> {
    this.port = await freePort();
    this.server = createServer((req, res) => {
      let raw = "";
      req.on("data", (c: Buffer) => (raw += c.toString()));
      req.on("end", () => {
        let body: unknown = raw;
        try {
          body = JSON.parse(raw);
        } catch {
          /* keep the raw text */
        }
        this.deliveries.push({ path: req.url ?? "", body, at: Date.now(), ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }) });
        // PagerDuty answers 202 with a JSON status; Opsgenie's alert API 202 with a request id;
        // a Teams workflow webhook 202 with no body; Slack answers "ok". Alertmanager accepts any 2xx.
        if (req.url === "/pagerduty") {
          res.writeHead(202, { "content-type": "application/json" }).end('{"status":"success","message":"Event processed"}');
        } else if (req.url?.startsWith("/opsgenie/")) {
          res.writeHead(202, { "content-type": "application/json" }).end('{"result":"Request will be processed","took":0.01,"requestId":"00000000-0000-4000-8000-000000000000"}');
        } else if (req.url?.startsWith("/sns")) {
          // Amazon SNS speaks the AWS query protocol: a form-encoded Publish, an XML answer.
          res
            .writeHead(200, { "content-type": "text/xml" })
            .end(
              '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>00000000-0000-4000-8000-000000000001</MessageId></PublishResult><ResponseMetadata><RequestId>00000000-0000-4000-8000-000000000002</RequestId></ResponseMetadata></PublishResponse>',
            );
        } else if (req.url === "/msteams") {
          res.writeHead(202).end();
        } else res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      });
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, this.host, resolve));
  }

  url(path: string): string {
    return `http://${this.host}:${this.port}${path}`;
  }

  at(path: string): HttpDelivery[] {
    return this.deliveries.filter((d) => d.path === path);
  }

  /** Slack messages posted to one channel. */
  slack(channel: string): any[] {
    return this.at("/slack")
      .map((d) => d.body)
      .filter((b) => b.channel === channel);
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

export interface Mail {
  from: string;
  to: string[];
  /** Headers and bodies with quoted-printable soft breaks and escapes undone. */
  text: string;
  /** When the message was accepted, ms since the epoch. */
  at: number;
}

/** Undoes quoted-printable: Alertmanager encodes both the HTML and the text part with it. */
function decodeQuotedPrintable(raw: string): string {
  const bytes = raw.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  return Buffer.from(bytes, "latin1").toString("utf8");
}

export class SmtpSink {
  readonly mails: Mail[] = [];
  readonly authFailures: string[] = [];
  private server?: SMTPServer;
  port = 0;

  constructor(
    private readonly username: string,
    private readonly password: string,
    /** Address to listen on (see HttpSink). */
    readonly host = "127.0.0.1",
  ) {}

  /** Listens on `port`, or on a free one. */
  async start(port?: number): Promise<void> {
    this.port = port ?? (await freePort());
    this.server = new SMTPServer({
      authOptional: false,
      allowInsecureAuth: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      closeTimeout: 1000,
      onAuth: (auth, _session, cb) => {
        if (auth.username === this.username && auth.password === this.password) return cb(null, { user: auth.username });
        this.authFailures.push(auth.username ?? "");
        return cb(new Error("invalid credentials"));
      },
      onData: (stream, session, cb) => {
        let raw = "";
        stream.on("data", (c: Buffer) => (raw += c.toString("latin1")));
        stream.on("end", () => {
          const from = session.envelope.mailFrom === false ? "" : session.envelope.mailFrom.address;
          this.mails.push({ from, to: session.envelope.rcptTo.map((r) => r.address), text: decodeQuotedPrintable(raw), at: Date.now() });
          cb();
        });
      },
    });
    await new Promise<void>((resolve) => this.server?.listen(this.port, this.host, resolve));
  }

  to(address: string): Mail[] {
    return this.mails.filter((m) => m.to.includes(address));
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
