// Loads the gRPC contracts in `proto/` once per process and hands out typed constructors for the
// service clients and definitions. 64-bit ids arrive as JS numbers: `safeId` asserts at decode
// that no id has gone past 2^53, so nothing is silently truncated.
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { FsError, Errno, ErrorCode } from '@cairn/errors';
import type { ProtoGrpcType as MetaProto } from './gen/meta.js';
import type { ProtoGrpcType as ChunkProto } from './gen/chunk.js';

/** The repository's proto/ directory (dist/src/proto.js is four levels below the root). */
export const protoDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../proto');

const loaderOptions: protoLoader.Options = {
  keepCase: false,
  longs: Number,
  enums: Number,
  defaults: true,
  oneofs: true,
  includeDirs: [protoDir],
};

let loaded: { meta: MetaProto; chunk: ChunkProto } | undefined;

export function protos(): { meta: MetaProto; chunk: ChunkProto } {
  if (!loaded) {
    const meta = protoLoader.loadSync(['meta.proto'], loaderOptions);
    const chunk = protoLoader.loadSync(['chunk.proto'], loaderOptions);
    loaded = {
      meta: grpc.loadPackageDefinition(meta) as unknown as MetaProto,
      chunk: grpc.loadPackageDefinition(chunk) as unknown as ChunkProto,
    };
  }
  return loaded;
}

/** Asserts that a 64-bit id read off the wire fits a JS number exactly. Bad input, not a bug. */
export function safeId(n: unknown, what: string): number {
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) {
    throw new FsError(Errno.EINVAL, `${what} is not a valid id: ${String(n)}`, { code: ErrorCode.BadInput });
  }
  return n;
}
