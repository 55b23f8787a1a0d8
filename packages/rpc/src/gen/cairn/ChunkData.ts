// Original file: ../../proto/chunk.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { DeleteSlicesReply as _cairn_DeleteSlicesReply, DeleteSlicesReply__Output as _cairn_DeleteSlicesReply__Output } from '../cairn/DeleteSlicesReply.js';
import type { DeleteSlicesRequest as _cairn_DeleteSlicesRequest, DeleteSlicesRequest__Output as _cairn_DeleteSlicesRequest__Output } from '../cairn/DeleteSlicesRequest.js';
import type { ReadFrame as _cairn_ReadFrame, ReadFrame__Output as _cairn_ReadFrame__Output } from '../cairn/ReadFrame.js';
import type { ReadSliceRequest as _cairn_ReadSliceRequest, ReadSliceRequest__Output as _cairn_ReadSliceRequest__Output } from '../cairn/ReadSliceRequest.js';
import type { SliceInfoReply as _cairn_SliceInfoReply, SliceInfoReply__Output as _cairn_SliceInfoReply__Output } from '../cairn/SliceInfoReply.js';
import type { SliceInfoRequest as _cairn_SliceInfoRequest, SliceInfoRequest__Output as _cairn_SliceInfoRequest__Output } from '../cairn/SliceInfoRequest.js';
import type { WriteFrame as _cairn_WriteFrame, WriteFrame__Output as _cairn_WriteFrame__Output } from '../cairn/WriteFrame.js';
import type { WriteSliceReply as _cairn_WriteSliceReply, WriteSliceReply__Output as _cairn_WriteSliceReply__Output } from '../cairn/WriteSliceReply.js';

export interface ChunkDataClient extends grpc.Client {
  DeleteSlices(argument: _cairn_DeleteSlicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_DeleteSlicesReply__Output>): grpc.ClientUnaryCall;
  DeleteSlices(argument: _cairn_DeleteSlicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_DeleteSlicesReply__Output>): grpc.ClientUnaryCall;
  DeleteSlices(argument: _cairn_DeleteSlicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_DeleteSlicesReply__Output>): grpc.ClientUnaryCall;
  DeleteSlices(argument: _cairn_DeleteSlicesRequest, callback: grpc.requestCallback<_cairn_DeleteSlicesReply__Output>): grpc.ClientUnaryCall;
  deleteSlices(argument: _cairn_DeleteSlicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_DeleteSlicesReply__Output>): grpc.ClientUnaryCall;
  deleteSlices(argument: _cairn_DeleteSlicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_DeleteSlicesReply__Output>): grpc.ClientUnaryCall;
  deleteSlices(argument: _cairn_DeleteSlicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_DeleteSlicesReply__Output>): grpc.ClientUnaryCall;
  deleteSlices(argument: _cairn_DeleteSlicesRequest, callback: grpc.requestCallback<_cairn_DeleteSlicesReply__Output>): grpc.ClientUnaryCall;
  
  ReadSlice(argument: _cairn_ReadSliceRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_cairn_ReadFrame__Output>;
  ReadSlice(argument: _cairn_ReadSliceRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_cairn_ReadFrame__Output>;
  readSlice(argument: _cairn_ReadSliceRequest, metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientReadableStream<_cairn_ReadFrame__Output>;
  readSlice(argument: _cairn_ReadSliceRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<_cairn_ReadFrame__Output>;
  
  SliceInfo(argument: _cairn_SliceInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_SliceInfoReply__Output>): grpc.ClientUnaryCall;
  SliceInfo(argument: _cairn_SliceInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_SliceInfoReply__Output>): grpc.ClientUnaryCall;
  SliceInfo(argument: _cairn_SliceInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_SliceInfoReply__Output>): grpc.ClientUnaryCall;
  SliceInfo(argument: _cairn_SliceInfoRequest, callback: grpc.requestCallback<_cairn_SliceInfoReply__Output>): grpc.ClientUnaryCall;
  sliceInfo(argument: _cairn_SliceInfoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_SliceInfoReply__Output>): grpc.ClientUnaryCall;
  sliceInfo(argument: _cairn_SliceInfoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_SliceInfoReply__Output>): grpc.ClientUnaryCall;
  sliceInfo(argument: _cairn_SliceInfoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_SliceInfoReply__Output>): grpc.ClientUnaryCall;
  sliceInfo(argument: _cairn_SliceInfoRequest, callback: grpc.requestCallback<_cairn_SliceInfoReply__Output>): grpc.ClientUnaryCall;
  
  WriteSlice(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_WriteSliceReply__Output>): grpc.ClientWritableStream<_cairn_WriteFrame>;
  WriteSlice(metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_WriteSliceReply__Output>): grpc.ClientWritableStream<_cairn_WriteFrame>;
  WriteSlice(options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_WriteSliceReply__Output>): grpc.ClientWritableStream<_cairn_WriteFrame>;
  WriteSlice(callback: grpc.requestCallback<_cairn_WriteSliceReply__Output>): grpc.ClientWritableStream<_cairn_WriteFrame>;
  writeSlice(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_WriteSliceReply__Output>): grpc.ClientWritableStream<_cairn_WriteFrame>;
  writeSlice(metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_WriteSliceReply__Output>): grpc.ClientWritableStream<_cairn_WriteFrame>;
  writeSlice(options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_WriteSliceReply__Output>): grpc.ClientWritableStream<_cairn_WriteFrame>;
  writeSlice(callback: grpc.requestCallback<_cairn_WriteSliceReply__Output>): grpc.ClientWritableStream<_cairn_WriteFrame>;
  
}

export interface ChunkDataHandlers extends grpc.UntypedServiceImplementation {
  DeleteSlices: grpc.handleUnaryCall<_cairn_DeleteSlicesRequest__Output, _cairn_DeleteSlicesReply>;
  
  ReadSlice: grpc.handleServerStreamingCall<_cairn_ReadSliceRequest__Output, _cairn_ReadFrame>;
  
  SliceInfo: grpc.handleUnaryCall<_cairn_SliceInfoRequest__Output, _cairn_SliceInfoReply>;
  
  WriteSlice: grpc.handleClientStreamingCall<_cairn_WriteFrame__Output, _cairn_WriteSliceReply>;
  
}

export interface ChunkDataDefinition extends grpc.ServiceDefinition {
  DeleteSlices: MethodDefinition<_cairn_DeleteSlicesRequest, _cairn_DeleteSlicesReply, _cairn_DeleteSlicesRequest__Output, _cairn_DeleteSlicesReply__Output>
  ReadSlice: MethodDefinition<_cairn_ReadSliceRequest, _cairn_ReadFrame, _cairn_ReadSliceRequest__Output, _cairn_ReadFrame__Output>
  SliceInfo: MethodDefinition<_cairn_SliceInfoRequest, _cairn_SliceInfoReply, _cairn_SliceInfoRequest__Output, _cairn_SliceInfoReply__Output>
  WriteSlice: MethodDefinition<_cairn_WriteFrame, _cairn_WriteSliceReply, _cairn_WriteFrame__Output, _cairn_WriteSliceReply__Output>
}
