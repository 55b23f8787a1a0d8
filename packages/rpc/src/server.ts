// Server helpers: a grpc-js server whose HTTP/2 sessions get large receive windows, binding to
// an address and reporting the bound port, and a wrapper that turns a handler's thrown errors
// into the reply's errno status.
import * as grpc from '@grpc/grpc-js';
import type { Http2Session } from 'node:http2';
import { AssertionFailed } from '@cairn/errors';
import { flowControlWindowBytes, serverOptions } from './options.js';
import { statusFromError } from './status.js';
import type { Status } from './gen/cairn/Status.js';

export function createServer(): grpc.Server {
  return new grpc.Server(serverOptions);
}

/**
 * Binds `server` to `host:port` (port 0 picks a free one) and returns the bound port. grpc-js has
 * no server option for the HTTP/2 receive window, so each new session raises its own: uploads
 * through the default 64 KiB window crawl (FACTS.md).
 */
export async function bindServer(server: grpc.Server, host: string, port: number): Promise<number> {
  const bound = await new Promise<number>((resolve, reject) => {
    server.bindAsync(`${host}:${port}`, grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    );
  });
  const servers = (server as unknown as { http2Servers?: Map<{ on(e: string, f: (s: Http2Session) => void): void }, unknown> })
    .http2Servers;
  for (const http2Server of servers?.keys() ?? []) {
    http2Server.on('session', (session: Http2Session) => {
      try {
        // grpc-js disables Nagle only on sockets it dials; small replies must not wait for a
        // delayed ACK on the accepting side either.
        (session.socket as { setNoDelay?: (on: boolean) => void } | undefined)?.setNoDelay?.(true);
        session.settings({ initialWindowSize: flowControlWindowBytes });
        session.setLocalWindowSize(flowControlWindowBytes);
      } catch {
        // A session that is already closing cannot take new settings; nothing to do.
      }
    });
  }
  return bound;
}

export function shutdownServer(server: grpc.Server, graceMs: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/**
 * Wraps an async unary handler: whatever it throws becomes `{status}` with the errno. Assertion
 * failures are bugs and are rethrown outside the promise so that the process crashes.
 */
export function unary<Req, Res extends { status?: Status | null }>(
  handler: (req: Req, call: grpc.ServerUnaryCall<Req, Res>) => Promise<Res>,
): grpc.handleUnaryCall<Req, Res> {
  return (call, callback) => {
    handler(call.request, call).then(
      (reply) => callback(null, reply),
      (err: unknown) => {
        if (err instanceof AssertionFailed) {
          process.nextTick(() => {
            throw err;
          });
          return;
        }
        callback(null, { status: statusFromError(err) } as Res);
      },
    );
  };
}
