import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { ChunkDataClient as _cairn_ChunkDataClient, ChunkDataDefinition as _cairn_ChunkDataDefinition } from './cairn/ChunkData.js';
import type { DeleteSlicesReply as _cairn_DeleteSlicesReply, DeleteSlicesReply__Output as _cairn_DeleteSlicesReply__Output } from './cairn/DeleteSlicesReply.js';
import type { DeleteSlicesRequest as _cairn_DeleteSlicesRequest, DeleteSlicesRequest__Output as _cairn_DeleteSlicesRequest__Output } from './cairn/DeleteSlicesRequest.js';
import type { PipelineTarget as _cairn_PipelineTarget, PipelineTarget__Output as _cairn_PipelineTarget__Output } from './cairn/PipelineTarget.js';
import type { ReadFrame as _cairn_ReadFrame, ReadFrame__Output as _cairn_ReadFrame__Output } from './cairn/ReadFrame.js';
import type { ReadSliceRequest as _cairn_ReadSliceRequest, ReadSliceRequest__Output as _cairn_ReadSliceRequest__Output } from './cairn/ReadSliceRequest.js';
import type { SliceInfoReply as _cairn_SliceInfoReply, SliceInfoReply__Output as _cairn_SliceInfoReply__Output } from './cairn/SliceInfoReply.js';
import type { SliceInfoRequest as _cairn_SliceInfoRequest, SliceInfoRequest__Output as _cairn_SliceInfoRequest__Output } from './cairn/SliceInfoRequest.js';
import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from './cairn/Status.js';
import type { WriteFrame as _cairn_WriteFrame, WriteFrame__Output as _cairn_WriteFrame__Output } from './cairn/WriteFrame.js';
import type { WriteHeader as _cairn_WriteHeader, WriteHeader__Output as _cairn_WriteHeader__Output } from './cairn/WriteHeader.js';
import type { WriteSliceReply as _cairn_WriteSliceReply, WriteSliceReply__Output as _cairn_WriteSliceReply__Output } from './cairn/WriteSliceReply.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cairn: {
    ChunkData: SubtypeConstructor<typeof grpc.Client, _cairn_ChunkDataClient> & { service: _cairn_ChunkDataDefinition }
    DeleteSlicesReply: MessageTypeDefinition<_cairn_DeleteSlicesReply, _cairn_DeleteSlicesReply__Output>
    DeleteSlicesRequest: MessageTypeDefinition<_cairn_DeleteSlicesRequest, _cairn_DeleteSlicesRequest__Output>
    PipelineTarget: MessageTypeDefinition<_cairn_PipelineTarget, _cairn_PipelineTarget__Output>
    ReadFrame: MessageTypeDefinition<_cairn_ReadFrame, _cairn_ReadFrame__Output>
    ReadSliceRequest: MessageTypeDefinition<_cairn_ReadSliceRequest, _cairn_ReadSliceRequest__Output>
    SliceInfoReply: MessageTypeDefinition<_cairn_SliceInfoReply, _cairn_SliceInfoReply__Output>
    SliceInfoRequest: MessageTypeDefinition<_cairn_SliceInfoRequest, _cairn_SliceInfoRequest__Output>
    Status: MessageTypeDefinition<_cairn_Status, _cairn_Status__Output>
    WriteFrame: MessageTypeDefinition<_cairn_WriteFrame, _cairn_WriteFrame__Output>
    WriteHeader: MessageTypeDefinition<_cairn_WriteHeader, _cairn_WriteHeader__Output>
    WriteSliceReply: MessageTypeDefinition<_cairn_WriteSliceReply, _cairn_WriteSliceReply__Output>
  }
}

