// The client's session with the master: opened at connect, renewed every lease/3, closed at
// unmount. It stamps every mutating request with a header whose request id strictly increases;
// MetaClient retries reuse the same request object, hence the same id, so the master answers a
// retry from its record instead of applying it twice.
import type { MetaClient } from '@cairn/rpc';
import { safeId } from '@cairn/rpc';
import type { types } from '@cairn/rpc';
import { Errno, FsError } from '@cairn/errors';
import type { Logger } from './logger.js';

export interface RequestHeader {
  sessionId: number;
  requestId: number;
}

export class Session {
  private requestId = 0;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  private constructor(
    private readonly meta: MetaClient,
    private readonly who: { clientName: string; host: string; pid: number },
    public sessionId: number,
    readonly leaseMs: number,
    private readonly logger: Logger,
  ) {}

  static async open(meta: MetaClient, who: { clientName: string; host: string; pid: number }, logger: Logger, budgetMs: number): Promise<Session> {
    const reply = await meta.call<types.OpenSessionRequest, types.OpenSessionReply__Output>('openSession', who, { budgetMs });
    const session = new Session(meta, who, safeId(reply.sessionId, 'session_id'), reply.leaseMs > 0 ? reply.leaseMs : 30_000, logger);
    session.scheduleRenew();
    logger.info({ sessionId: session.sessionId, leaseMs: session.leaseMs }, `session ${session.sessionId} opened`);
    return session;
  }

  header(): RequestHeader {
    return { sessionId: this.sessionId, requestId: ++this.requestId };
  }

  private scheduleRenew(): void {
    // Renew at a third of the lease: two renewals may fail before the lease runs out.
    this.timer = setTimeout(() => void this.renew(), Math.max(100, Math.floor(this.leaseMs / 3)));
    // The mount keeps its own loop alive; a program using the library exits when it is done.
    this.timer.unref();
  }

  private async renew(): Promise<void> {
    if (this.closed) return;
    try {
      await this.meta.call<types.RenewSessionRequest, types.RenewSessionReply__Output>(
        'renewSession',
        { sessionId: this.sessionId },
        { budgetMs: Math.max(1_000, Math.floor(this.leaseMs / 3)) },
      );
    } catch (err) {
      if (err instanceof FsError && err.errno === Errno.ESTALE) await this.reopen();
      else this.logger.warn({ err, sessionId: this.sessionId }, `session ${this.sessionId} renewal failed`);
    }
    if (!this.closed) this.scheduleRenew();
  }

  /**
   * The master expired our session (we were cut off for longer than the lease): open a new one.
   * What the old session held (unlinked files kept open) is gone; new requests use the new id.
   */
  private async reopen(): Promise<void> {
    try {
      const reply = await this.meta.call<types.OpenSessionRequest, types.OpenSessionReply__Output>('openSession', this.who);
      const old = this.sessionId;
      this.sessionId = safeId(reply.sessionId, 'session_id');
      this.requestId = 0;
      this.logger.error({ old, sessionId: this.sessionId }, `session ${old} had expired; opened session ${this.sessionId}`);
    } catch (err) {
      this.logger.warn({ err }, 'reopening the expired session failed');
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    try {
      await this.meta.call<types.RenewSessionRequest, types.RenewSessionReply__Output>('closeSession', { sessionId: this.sessionId }, { budgetMs: 5_000 });
      this.logger.info({ sessionId: this.sessionId }, `session ${this.sessionId} closed`);
    } catch (err) {
      this.logger.warn({ err, sessionId: this.sessionId }, `session ${this.sessionId} close failed; it will expire`);
    }
  }
}
