import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from './cairn/Status.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cairn: {
    Status: MessageTypeDefinition<_cairn_Status, _cairn_Status__Output>
  }
}

