// Original file: ../../proto/meta.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { AllocSlicesReply as _cairn_AllocSlicesReply, AllocSlicesReply__Output as _cairn_AllocSlicesReply__Output } from '../cairn/AllocSlicesReply.js';
import type { AllocSlicesRequest as _cairn_AllocSlicesRequest, AllocSlicesRequest__Output as _cairn_AllocSlicesRequest__Output } from '../cairn/AllocSlicesRequest.js';
import type { AttrReply as _cairn_AttrReply, AttrReply__Output as _cairn_AttrReply__Output } from '../cairn/AttrReply.js';
import type { ChangeMastersReply as _cairn_ChangeMastersReply, ChangeMastersReply__Output as _cairn_ChangeMastersReply__Output } from '../cairn/ChangeMastersReply.js';
import type { ChangeMastersRequest as _cairn_ChangeMastersRequest, ChangeMastersRequest__Output as _cairn_ChangeMastersRequest__Output } from '../cairn/ChangeMastersRequest.js';
import type { ClusterStatusReply as _cairn_ClusterStatusReply, ClusterStatusReply__Output as _cairn_ClusterStatusReply__Output } from '../cairn/ClusterStatusReply.js';
import type { ClusterStatusRequest as _cairn_ClusterStatusRequest, ClusterStatusRequest__Output as _cairn_ClusterStatusRequest__Output } from '../cairn/ClusterStatusRequest.js';
import type { CommitSlicesRequest as _cairn_CommitSlicesRequest, CommitSlicesRequest__Output as _cairn_CommitSlicesRequest__Output } from '../cairn/CommitSlicesRequest.js';
import type { CreateRequest as _cairn_CreateRequest, CreateRequest__Output as _cairn_CreateRequest__Output } from '../cairn/CreateRequest.js';
import type { FileInfoReply as _cairn_FileInfoReply, FileInfoReply__Output as _cairn_FileInfoReply__Output } from '../cairn/FileInfoReply.js';
import type { FsckReply as _cairn_FsckReply, FsckReply__Output as _cairn_FsckReply__Output } from '../cairn/FsckReply.js';
import type { FsckRequest as _cairn_FsckRequest, FsckRequest__Output as _cairn_FsckRequest__Output } from '../cairn/FsckRequest.js';
import type { GetXattrReply as _cairn_GetXattrReply, GetXattrReply__Output as _cairn_GetXattrReply__Output } from '../cairn/GetXattrReply.js';
import type { GetXattrRequest as _cairn_GetXattrRequest, GetXattrRequest__Output as _cairn_GetXattrRequest__Output } from '../cairn/GetXattrRequest.js';
import type { HeartbeatReply as _cairn_HeartbeatReply, HeartbeatReply__Output as _cairn_HeartbeatReply__Output } from '../cairn/HeartbeatReply.js';
import type { HeartbeatRequest as _cairn_HeartbeatRequest, HeartbeatRequest__Output as _cairn_HeartbeatRequest__Output } from '../cairn/HeartbeatRequest.js';
import type { InoRequest as _cairn_InoRequest, InoRequest__Output as _cairn_InoRequest__Output } from '../cairn/InoRequest.js';
import type { LinkRequest as _cairn_LinkRequest, LinkRequest__Output as _cairn_LinkRequest__Output } from '../cairn/LinkRequest.js';
import type { ListXattrReply as _cairn_ListXattrReply, ListXattrReply__Output as _cairn_ListXattrReply__Output } from '../cairn/ListXattrReply.js';
import type { LockReply as _cairn_LockReply, LockReply__Output as _cairn_LockReply__Output } from '../cairn/LockReply.js';
import type { LockRequest as _cairn_LockRequest, LockRequest__Output as _cairn_LockRequest__Output } from '../cairn/LockRequest.js';
import type { LookupRequest as _cairn_LookupRequest, LookupRequest__Output as _cairn_LookupRequest__Output } from '../cairn/LookupRequest.js';
import type { OpenRequest as _cairn_OpenRequest, OpenRequest__Output as _cairn_OpenRequest__Output } from '../cairn/OpenRequest.js';
import type { OpenSessionReply as _cairn_OpenSessionReply, OpenSessionReply__Output as _cairn_OpenSessionReply__Output } from '../cairn/OpenSessionReply.js';
import type { OpenSessionRequest as _cairn_OpenSessionRequest, OpenSessionRequest__Output as _cairn_OpenSessionRequest__Output } from '../cairn/OpenSessionRequest.js';
import type { ReadChunkReply as _cairn_ReadChunkReply, ReadChunkReply__Output as _cairn_ReadChunkReply__Output } from '../cairn/ReadChunkReply.js';
import type { ReadChunkRequest as _cairn_ReadChunkRequest, ReadChunkRequest__Output as _cairn_ReadChunkRequest__Output } from '../cairn/ReadChunkRequest.js';
import type { ReadDirReply as _cairn_ReadDirReply, ReadDirReply__Output as _cairn_ReadDirReply__Output } from '../cairn/ReadDirReply.js';
import type { ReadDirRequest as _cairn_ReadDirRequest, ReadDirRequest__Output as _cairn_ReadDirRequest__Output } from '../cairn/ReadDirRequest.js';
import type { ReadLinkReply as _cairn_ReadLinkReply, ReadLinkReply__Output as _cairn_ReadLinkReply__Output } from '../cairn/ReadLinkReply.js';
import type { ReleaseReply as _cairn_ReleaseReply, ReleaseReply__Output as _cairn_ReleaseReply__Output } from '../cairn/ReleaseReply.js';
import type { ReleaseRequest as _cairn_ReleaseRequest, ReleaseRequest__Output as _cairn_ReleaseRequest__Output } from '../cairn/ReleaseRequest.js';
import type { RemoveXattrRequest as _cairn_RemoveXattrRequest, RemoveXattrRequest__Output as _cairn_RemoveXattrRequest__Output } from '../cairn/RemoveXattrRequest.js';
import type { RenameReply as _cairn_RenameReply, RenameReply__Output as _cairn_RenameReply__Output } from '../cairn/RenameReply.js';
import type { RenameRequest as _cairn_RenameRequest, RenameRequest__Output as _cairn_RenameRequest__Output } from '../cairn/RenameRequest.js';
import type { RenewSessionReply as _cairn_RenewSessionReply, RenewSessionReply__Output as _cairn_RenewSessionReply__Output } from '../cairn/RenewSessionReply.js';
import type { RenewSessionRequest as _cairn_RenewSessionRequest, RenewSessionRequest__Output as _cairn_RenewSessionRequest__Output } from '../cairn/RenewSessionRequest.js';
import type { SetAttrRequest as _cairn_SetAttrRequest, SetAttrRequest__Output as _cairn_SetAttrRequest__Output } from '../cairn/SetAttrRequest.js';
import type { SetXattrRequest as _cairn_SetXattrRequest, SetXattrRequest__Output as _cairn_SetXattrRequest__Output } from '../cairn/SetXattrRequest.js';
import type { StatFsReply as _cairn_StatFsReply, StatFsReply__Output as _cairn_StatFsReply__Output } from '../cairn/StatFsReply.js';
import type { StatFsRequest as _cairn_StatFsRequest, StatFsRequest__Output as _cairn_StatFsRequest__Output } from '../cairn/StatFsRequest.js';
import type { UnlinkReply as _cairn_UnlinkReply, UnlinkReply__Output as _cairn_UnlinkReply__Output } from '../cairn/UnlinkReply.js';
import type { UnlinkRequest as _cairn_UnlinkRequest, UnlinkRequest__Output as _cairn_UnlinkRequest__Output } from '../cairn/UnlinkRequest.js';
import type { WriteInlineRequest as _cairn_WriteInlineRequest, WriteInlineRequest__Output as _cairn_WriteInlineRequest__Output } from '../cairn/WriteInlineRequest.js';

export interface MetaClient extends grpc.Client {
  AllocSlices(argument: _cairn_AllocSlicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AllocSlicesReply__Output>): grpc.ClientUnaryCall;
  AllocSlices(argument: _cairn_AllocSlicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AllocSlicesReply__Output>): grpc.ClientUnaryCall;
  AllocSlices(argument: _cairn_AllocSlicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AllocSlicesReply__Output>): grpc.ClientUnaryCall;
  AllocSlices(argument: _cairn_AllocSlicesRequest, callback: grpc.requestCallback<_cairn_AllocSlicesReply__Output>): grpc.ClientUnaryCall;
  allocSlices(argument: _cairn_AllocSlicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AllocSlicesReply__Output>): grpc.ClientUnaryCall;
  allocSlices(argument: _cairn_AllocSlicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AllocSlicesReply__Output>): grpc.ClientUnaryCall;
  allocSlices(argument: _cairn_AllocSlicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AllocSlicesReply__Output>): grpc.ClientUnaryCall;
  allocSlices(argument: _cairn_AllocSlicesRequest, callback: grpc.requestCallback<_cairn_AllocSlicesReply__Output>): grpc.ClientUnaryCall;
  
  ChangeMasters(argument: _cairn_ChangeMastersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ChangeMastersReply__Output>): grpc.ClientUnaryCall;
  ChangeMasters(argument: _cairn_ChangeMastersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ChangeMastersReply__Output>): grpc.ClientUnaryCall;
  ChangeMasters(argument: _cairn_ChangeMastersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ChangeMastersReply__Output>): grpc.ClientUnaryCall;
  ChangeMasters(argument: _cairn_ChangeMastersRequest, callback: grpc.requestCallback<_cairn_ChangeMastersReply__Output>): grpc.ClientUnaryCall;
  changeMasters(argument: _cairn_ChangeMastersRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ChangeMastersReply__Output>): grpc.ClientUnaryCall;
  changeMasters(argument: _cairn_ChangeMastersRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ChangeMastersReply__Output>): grpc.ClientUnaryCall;
  changeMasters(argument: _cairn_ChangeMastersRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ChangeMastersReply__Output>): grpc.ClientUnaryCall;
  changeMasters(argument: _cairn_ChangeMastersRequest, callback: grpc.requestCallback<_cairn_ChangeMastersReply__Output>): grpc.ClientUnaryCall;
  
  CloseSession(argument: _cairn_RenewSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  CloseSession(argument: _cairn_RenewSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  CloseSession(argument: _cairn_RenewSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  CloseSession(argument: _cairn_RenewSessionRequest, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  closeSession(argument: _cairn_RenewSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  closeSession(argument: _cairn_RenewSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  closeSession(argument: _cairn_RenewSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  closeSession(argument: _cairn_RenewSessionRequest, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  
  ClusterStatus(argument: _cairn_ClusterStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ClusterStatusReply__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _cairn_ClusterStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ClusterStatusReply__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _cairn_ClusterStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ClusterStatusReply__Output>): grpc.ClientUnaryCall;
  ClusterStatus(argument: _cairn_ClusterStatusRequest, callback: grpc.requestCallback<_cairn_ClusterStatusReply__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _cairn_ClusterStatusRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ClusterStatusReply__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _cairn_ClusterStatusRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ClusterStatusReply__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _cairn_ClusterStatusRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ClusterStatusReply__Output>): grpc.ClientUnaryCall;
  clusterStatus(argument: _cairn_ClusterStatusRequest, callback: grpc.requestCallback<_cairn_ClusterStatusReply__Output>): grpc.ClientUnaryCall;
  
  CommitSlices(argument: _cairn_CommitSlicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  CommitSlices(argument: _cairn_CommitSlicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  CommitSlices(argument: _cairn_CommitSlicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  CommitSlices(argument: _cairn_CommitSlicesRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  commitSlices(argument: _cairn_CommitSlicesRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  commitSlices(argument: _cairn_CommitSlicesRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  commitSlices(argument: _cairn_CommitSlicesRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  commitSlices(argument: _cairn_CommitSlicesRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  
  Create(argument: _cairn_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Create(argument: _cairn_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Create(argument: _cairn_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Create(argument: _cairn_CreateRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  create(argument: _cairn_CreateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  create(argument: _cairn_CreateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  create(argument: _cairn_CreateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  create(argument: _cairn_CreateRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  
  FileInfo(argument: _cairn_InoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_FileInfoReply__Output>): grpc.ClientUnaryCall;
  FileInfo(argument: _cairn_InoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_FileInfoReply__Output>): grpc.ClientUnaryCall;
  FileInfo(argument: _cairn_InoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_FileInfoReply__Output>): grpc.ClientUnaryCall;
  FileInfo(argument: _cairn_InoRequest, callback: grpc.requestCallback<_cairn_FileInfoReply__Output>): grpc.ClientUnaryCall;
  fileInfo(argument: _cairn_InoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_FileInfoReply__Output>): grpc.ClientUnaryCall;
  fileInfo(argument: _cairn_InoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_FileInfoReply__Output>): grpc.ClientUnaryCall;
  fileInfo(argument: _cairn_InoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_FileInfoReply__Output>): grpc.ClientUnaryCall;
  fileInfo(argument: _cairn_InoRequest, callback: grpc.requestCallback<_cairn_FileInfoReply__Output>): grpc.ClientUnaryCall;
  
  Fsck(argument: _cairn_FsckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_FsckReply__Output>): grpc.ClientUnaryCall;
  Fsck(argument: _cairn_FsckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_FsckReply__Output>): grpc.ClientUnaryCall;
  Fsck(argument: _cairn_FsckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_FsckReply__Output>): grpc.ClientUnaryCall;
  Fsck(argument: _cairn_FsckRequest, callback: grpc.requestCallback<_cairn_FsckReply__Output>): grpc.ClientUnaryCall;
  fsck(argument: _cairn_FsckRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_FsckReply__Output>): grpc.ClientUnaryCall;
  fsck(argument: _cairn_FsckRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_FsckReply__Output>): grpc.ClientUnaryCall;
  fsck(argument: _cairn_FsckRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_FsckReply__Output>): grpc.ClientUnaryCall;
  fsck(argument: _cairn_FsckRequest, callback: grpc.requestCallback<_cairn_FsckReply__Output>): grpc.ClientUnaryCall;
  
  GetAttr(argument: _cairn_InoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  GetAttr(argument: _cairn_InoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  GetAttr(argument: _cairn_InoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  GetAttr(argument: _cairn_InoRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  getAttr(argument: _cairn_InoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  getAttr(argument: _cairn_InoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  getAttr(argument: _cairn_InoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  getAttr(argument: _cairn_InoRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  
  GetXattr(argument: _cairn_GetXattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_GetXattrReply__Output>): grpc.ClientUnaryCall;
  GetXattr(argument: _cairn_GetXattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_GetXattrReply__Output>): grpc.ClientUnaryCall;
  GetXattr(argument: _cairn_GetXattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_GetXattrReply__Output>): grpc.ClientUnaryCall;
  GetXattr(argument: _cairn_GetXattrRequest, callback: grpc.requestCallback<_cairn_GetXattrReply__Output>): grpc.ClientUnaryCall;
  getXattr(argument: _cairn_GetXattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_GetXattrReply__Output>): grpc.ClientUnaryCall;
  getXattr(argument: _cairn_GetXattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_GetXattrReply__Output>): grpc.ClientUnaryCall;
  getXattr(argument: _cairn_GetXattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_GetXattrReply__Output>): grpc.ClientUnaryCall;
  getXattr(argument: _cairn_GetXattrRequest, callback: grpc.requestCallback<_cairn_GetXattrReply__Output>): grpc.ClientUnaryCall;
  
  Heartbeat(argument: _cairn_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _cairn_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _cairn_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  Heartbeat(argument: _cairn_HeartbeatRequest, callback: grpc.requestCallback<_cairn_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _cairn_HeartbeatRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _cairn_HeartbeatRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _cairn_HeartbeatRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  heartbeat(argument: _cairn_HeartbeatRequest, callback: grpc.requestCallback<_cairn_HeartbeatReply__Output>): grpc.ClientUnaryCall;
  
  Link(argument: _cairn_LinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Link(argument: _cairn_LinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Link(argument: _cairn_LinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Link(argument: _cairn_LinkRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  link(argument: _cairn_LinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  link(argument: _cairn_LinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  link(argument: _cairn_LinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  link(argument: _cairn_LinkRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  
  ListXattr(argument: _cairn_InoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ListXattrReply__Output>): grpc.ClientUnaryCall;
  ListXattr(argument: _cairn_InoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ListXattrReply__Output>): grpc.ClientUnaryCall;
  ListXattr(argument: _cairn_InoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ListXattrReply__Output>): grpc.ClientUnaryCall;
  ListXattr(argument: _cairn_InoRequest, callback: grpc.requestCallback<_cairn_ListXattrReply__Output>): grpc.ClientUnaryCall;
  listXattr(argument: _cairn_InoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ListXattrReply__Output>): grpc.ClientUnaryCall;
  listXattr(argument: _cairn_InoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ListXattrReply__Output>): grpc.ClientUnaryCall;
  listXattr(argument: _cairn_InoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ListXattrReply__Output>): grpc.ClientUnaryCall;
  listXattr(argument: _cairn_InoRequest, callback: grpc.requestCallback<_cairn_ListXattrReply__Output>): grpc.ClientUnaryCall;
  
  Lock(argument: _cairn_LockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  Lock(argument: _cairn_LockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  Lock(argument: _cairn_LockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  Lock(argument: _cairn_LockRequest, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  lock(argument: _cairn_LockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  lock(argument: _cairn_LockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  lock(argument: _cairn_LockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  lock(argument: _cairn_LockRequest, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  
  Lookup(argument: _cairn_LookupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Lookup(argument: _cairn_LookupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Lookup(argument: _cairn_LookupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Lookup(argument: _cairn_LookupRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  lookup(argument: _cairn_LookupRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  lookup(argument: _cairn_LookupRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  lookup(argument: _cairn_LookupRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  lookup(argument: _cairn_LookupRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  
  Open(argument: _cairn_OpenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Open(argument: _cairn_OpenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Open(argument: _cairn_OpenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  Open(argument: _cairn_OpenRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  open(argument: _cairn_OpenRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  open(argument: _cairn_OpenRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  open(argument: _cairn_OpenRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  open(argument: _cairn_OpenRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  
  OpenSession(argument: _cairn_OpenSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_OpenSessionReply__Output>): grpc.ClientUnaryCall;
  OpenSession(argument: _cairn_OpenSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_OpenSessionReply__Output>): grpc.ClientUnaryCall;
  OpenSession(argument: _cairn_OpenSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_OpenSessionReply__Output>): grpc.ClientUnaryCall;
  OpenSession(argument: _cairn_OpenSessionRequest, callback: grpc.requestCallback<_cairn_OpenSessionReply__Output>): grpc.ClientUnaryCall;
  openSession(argument: _cairn_OpenSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_OpenSessionReply__Output>): grpc.ClientUnaryCall;
  openSession(argument: _cairn_OpenSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_OpenSessionReply__Output>): grpc.ClientUnaryCall;
  openSession(argument: _cairn_OpenSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_OpenSessionReply__Output>): grpc.ClientUnaryCall;
  openSession(argument: _cairn_OpenSessionRequest, callback: grpc.requestCallback<_cairn_OpenSessionReply__Output>): grpc.ClientUnaryCall;
  
  ReadChunk(argument: _cairn_ReadChunkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadChunkReply__Output>): grpc.ClientUnaryCall;
  ReadChunk(argument: _cairn_ReadChunkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ReadChunkReply__Output>): grpc.ClientUnaryCall;
  ReadChunk(argument: _cairn_ReadChunkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadChunkReply__Output>): grpc.ClientUnaryCall;
  ReadChunk(argument: _cairn_ReadChunkRequest, callback: grpc.requestCallback<_cairn_ReadChunkReply__Output>): grpc.ClientUnaryCall;
  readChunk(argument: _cairn_ReadChunkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadChunkReply__Output>): grpc.ClientUnaryCall;
  readChunk(argument: _cairn_ReadChunkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ReadChunkReply__Output>): grpc.ClientUnaryCall;
  readChunk(argument: _cairn_ReadChunkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadChunkReply__Output>): grpc.ClientUnaryCall;
  readChunk(argument: _cairn_ReadChunkRequest, callback: grpc.requestCallback<_cairn_ReadChunkReply__Output>): grpc.ClientUnaryCall;
  
  ReadDir(argument: _cairn_ReadDirRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadDirReply__Output>): grpc.ClientUnaryCall;
  ReadDir(argument: _cairn_ReadDirRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ReadDirReply__Output>): grpc.ClientUnaryCall;
  ReadDir(argument: _cairn_ReadDirRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadDirReply__Output>): grpc.ClientUnaryCall;
  ReadDir(argument: _cairn_ReadDirRequest, callback: grpc.requestCallback<_cairn_ReadDirReply__Output>): grpc.ClientUnaryCall;
  readDir(argument: _cairn_ReadDirRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadDirReply__Output>): grpc.ClientUnaryCall;
  readDir(argument: _cairn_ReadDirRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ReadDirReply__Output>): grpc.ClientUnaryCall;
  readDir(argument: _cairn_ReadDirRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadDirReply__Output>): grpc.ClientUnaryCall;
  readDir(argument: _cairn_ReadDirRequest, callback: grpc.requestCallback<_cairn_ReadDirReply__Output>): grpc.ClientUnaryCall;
  
  ReadLink(argument: _cairn_InoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadLinkReply__Output>): grpc.ClientUnaryCall;
  ReadLink(argument: _cairn_InoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ReadLinkReply__Output>): grpc.ClientUnaryCall;
  ReadLink(argument: _cairn_InoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadLinkReply__Output>): grpc.ClientUnaryCall;
  ReadLink(argument: _cairn_InoRequest, callback: grpc.requestCallback<_cairn_ReadLinkReply__Output>): grpc.ClientUnaryCall;
  readLink(argument: _cairn_InoRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadLinkReply__Output>): grpc.ClientUnaryCall;
  readLink(argument: _cairn_InoRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ReadLinkReply__Output>): grpc.ClientUnaryCall;
  readLink(argument: _cairn_InoRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReadLinkReply__Output>): grpc.ClientUnaryCall;
  readLink(argument: _cairn_InoRequest, callback: grpc.requestCallback<_cairn_ReadLinkReply__Output>): grpc.ClientUnaryCall;
  
  Release(argument: _cairn_ReleaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReleaseReply__Output>): grpc.ClientUnaryCall;
  Release(argument: _cairn_ReleaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ReleaseReply__Output>): grpc.ClientUnaryCall;
  Release(argument: _cairn_ReleaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReleaseReply__Output>): grpc.ClientUnaryCall;
  Release(argument: _cairn_ReleaseRequest, callback: grpc.requestCallback<_cairn_ReleaseReply__Output>): grpc.ClientUnaryCall;
  release(argument: _cairn_ReleaseRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReleaseReply__Output>): grpc.ClientUnaryCall;
  release(argument: _cairn_ReleaseRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_ReleaseReply__Output>): grpc.ClientUnaryCall;
  release(argument: _cairn_ReleaseRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_ReleaseReply__Output>): grpc.ClientUnaryCall;
  release(argument: _cairn_ReleaseRequest, callback: grpc.requestCallback<_cairn_ReleaseReply__Output>): grpc.ClientUnaryCall;
  
  RemoveXattr(argument: _cairn_RemoveXattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  RemoveXattr(argument: _cairn_RemoveXattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  RemoveXattr(argument: _cairn_RemoveXattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  RemoveXattr(argument: _cairn_RemoveXattrRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  removeXattr(argument: _cairn_RemoveXattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  removeXattr(argument: _cairn_RemoveXattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  removeXattr(argument: _cairn_RemoveXattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  removeXattr(argument: _cairn_RemoveXattrRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  
  Rename(argument: _cairn_RenameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenameReply__Output>): grpc.ClientUnaryCall;
  Rename(argument: _cairn_RenameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_RenameReply__Output>): grpc.ClientUnaryCall;
  Rename(argument: _cairn_RenameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenameReply__Output>): grpc.ClientUnaryCall;
  Rename(argument: _cairn_RenameRequest, callback: grpc.requestCallback<_cairn_RenameReply__Output>): grpc.ClientUnaryCall;
  rename(argument: _cairn_RenameRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenameReply__Output>): grpc.ClientUnaryCall;
  rename(argument: _cairn_RenameRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_RenameReply__Output>): grpc.ClientUnaryCall;
  rename(argument: _cairn_RenameRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenameReply__Output>): grpc.ClientUnaryCall;
  rename(argument: _cairn_RenameRequest, callback: grpc.requestCallback<_cairn_RenameReply__Output>): grpc.ClientUnaryCall;
  
  RenewSession(argument: _cairn_RenewSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  RenewSession(argument: _cairn_RenewSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  RenewSession(argument: _cairn_RenewSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  RenewSession(argument: _cairn_RenewSessionRequest, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  renewSession(argument: _cairn_RenewSessionRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  renewSession(argument: _cairn_RenewSessionRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  renewSession(argument: _cairn_RenewSessionRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  renewSession(argument: _cairn_RenewSessionRequest, callback: grpc.requestCallback<_cairn_RenewSessionReply__Output>): grpc.ClientUnaryCall;
  
  SetAttr(argument: _cairn_SetAttrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  SetAttr(argument: _cairn_SetAttrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  SetAttr(argument: _cairn_SetAttrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  SetAttr(argument: _cairn_SetAttrRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _cairn_SetAttrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _cairn_SetAttrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _cairn_SetAttrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  setAttr(argument: _cairn_SetAttrRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  
  SetXattr(argument: _cairn_SetXattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  SetXattr(argument: _cairn_SetXattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  SetXattr(argument: _cairn_SetXattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  SetXattr(argument: _cairn_SetXattrRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  setXattr(argument: _cairn_SetXattrRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  setXattr(argument: _cairn_SetXattrRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  setXattr(argument: _cairn_SetXattrRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  setXattr(argument: _cairn_SetXattrRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  
  StatFs(argument: _cairn_StatFsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_StatFsReply__Output>): grpc.ClientUnaryCall;
  StatFs(argument: _cairn_StatFsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_StatFsReply__Output>): grpc.ClientUnaryCall;
  StatFs(argument: _cairn_StatFsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_StatFsReply__Output>): grpc.ClientUnaryCall;
  StatFs(argument: _cairn_StatFsRequest, callback: grpc.requestCallback<_cairn_StatFsReply__Output>): grpc.ClientUnaryCall;
  statFs(argument: _cairn_StatFsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_StatFsReply__Output>): grpc.ClientUnaryCall;
  statFs(argument: _cairn_StatFsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_StatFsReply__Output>): grpc.ClientUnaryCall;
  statFs(argument: _cairn_StatFsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_StatFsReply__Output>): grpc.ClientUnaryCall;
  statFs(argument: _cairn_StatFsRequest, callback: grpc.requestCallback<_cairn_StatFsReply__Output>): grpc.ClientUnaryCall;
  
  TestLock(argument: _cairn_LockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  TestLock(argument: _cairn_LockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  TestLock(argument: _cairn_LockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  TestLock(argument: _cairn_LockRequest, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  testLock(argument: _cairn_LockRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  testLock(argument: _cairn_LockRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  testLock(argument: _cairn_LockRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  testLock(argument: _cairn_LockRequest, callback: grpc.requestCallback<_cairn_LockReply__Output>): grpc.ClientUnaryCall;
  
  Unlink(argument: _cairn_UnlinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_UnlinkReply__Output>): grpc.ClientUnaryCall;
  Unlink(argument: _cairn_UnlinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_UnlinkReply__Output>): grpc.ClientUnaryCall;
  Unlink(argument: _cairn_UnlinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_UnlinkReply__Output>): grpc.ClientUnaryCall;
  Unlink(argument: _cairn_UnlinkRequest, callback: grpc.requestCallback<_cairn_UnlinkReply__Output>): grpc.ClientUnaryCall;
  unlink(argument: _cairn_UnlinkRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_UnlinkReply__Output>): grpc.ClientUnaryCall;
  unlink(argument: _cairn_UnlinkRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_UnlinkReply__Output>): grpc.ClientUnaryCall;
  unlink(argument: _cairn_UnlinkRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_UnlinkReply__Output>): grpc.ClientUnaryCall;
  unlink(argument: _cairn_UnlinkRequest, callback: grpc.requestCallback<_cairn_UnlinkReply__Output>): grpc.ClientUnaryCall;
  
  WriteInline(argument: _cairn_WriteInlineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  WriteInline(argument: _cairn_WriteInlineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  WriteInline(argument: _cairn_WriteInlineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  WriteInline(argument: _cairn_WriteInlineRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  writeInline(argument: _cairn_WriteInlineRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  writeInline(argument: _cairn_WriteInlineRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  writeInline(argument: _cairn_WriteInlineRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  writeInline(argument: _cairn_WriteInlineRequest, callback: grpc.requestCallback<_cairn_AttrReply__Output>): grpc.ClientUnaryCall;
  
}

export interface MetaHandlers extends grpc.UntypedServiceImplementation {
  AllocSlices: grpc.handleUnaryCall<_cairn_AllocSlicesRequest__Output, _cairn_AllocSlicesReply>;
  
  ChangeMasters: grpc.handleUnaryCall<_cairn_ChangeMastersRequest__Output, _cairn_ChangeMastersReply>;
  
  CloseSession: grpc.handleUnaryCall<_cairn_RenewSessionRequest__Output, _cairn_RenewSessionReply>;
  
  ClusterStatus: grpc.handleUnaryCall<_cairn_ClusterStatusRequest__Output, _cairn_ClusterStatusReply>;
  
  CommitSlices: grpc.handleUnaryCall<_cairn_CommitSlicesRequest__Output, _cairn_AttrReply>;
  
  Create: grpc.handleUnaryCall<_cairn_CreateRequest__Output, _cairn_AttrReply>;
  
  FileInfo: grpc.handleUnaryCall<_cairn_InoRequest__Output, _cairn_FileInfoReply>;
  
  Fsck: grpc.handleUnaryCall<_cairn_FsckRequest__Output, _cairn_FsckReply>;
  
  GetAttr: grpc.handleUnaryCall<_cairn_InoRequest__Output, _cairn_AttrReply>;
  
  GetXattr: grpc.handleUnaryCall<_cairn_GetXattrRequest__Output, _cairn_GetXattrReply>;
  
  Heartbeat: grpc.handleUnaryCall<_cairn_HeartbeatRequest__Output, _cairn_HeartbeatReply>;
  
  Link: grpc.handleUnaryCall<_cairn_LinkRequest__Output, _cairn_AttrReply>;
  
  ListXattr: grpc.handleUnaryCall<_cairn_InoRequest__Output, _cairn_ListXattrReply>;
  
  Lock: grpc.handleUnaryCall<_cairn_LockRequest__Output, _cairn_LockReply>;
  
  Lookup: grpc.handleUnaryCall<_cairn_LookupRequest__Output, _cairn_AttrReply>;
  
  Open: grpc.handleUnaryCall<_cairn_OpenRequest__Output, _cairn_AttrReply>;
  
  OpenSession: grpc.handleUnaryCall<_cairn_OpenSessionRequest__Output, _cairn_OpenSessionReply>;
  
  ReadChunk: grpc.handleUnaryCall<_cairn_ReadChunkRequest__Output, _cairn_ReadChunkReply>;
  
  ReadDir: grpc.handleUnaryCall<_cairn_ReadDirRequest__Output, _cairn_ReadDirReply>;
  
  ReadLink: grpc.handleUnaryCall<_cairn_InoRequest__Output, _cairn_ReadLinkReply>;
  
  Release: grpc.handleUnaryCall<_cairn_ReleaseRequest__Output, _cairn_ReleaseReply>;
  
  RemoveXattr: grpc.handleUnaryCall<_cairn_RemoveXattrRequest__Output, _cairn_AttrReply>;
  
  Rename: grpc.handleUnaryCall<_cairn_RenameRequest__Output, _cairn_RenameReply>;
  
  RenewSession: grpc.handleUnaryCall<_cairn_RenewSessionRequest__Output, _cairn_RenewSessionReply>;
  
  SetAttr: grpc.handleUnaryCall<_cairn_SetAttrRequest__Output, _cairn_AttrReply>;
  
  SetXattr: grpc.handleUnaryCall<_cairn_SetXattrRequest__Output, _cairn_AttrReply>;
  
  StatFs: grpc.handleUnaryCall<_cairn_StatFsRequest__Output, _cairn_StatFsReply>;
  
  TestLock: grpc.handleUnaryCall<_cairn_LockRequest__Output, _cairn_LockReply>;
  
  Unlink: grpc.handleUnaryCall<_cairn_UnlinkRequest__Output, _cairn_UnlinkReply>;
  
  WriteInline: grpc.handleUnaryCall<_cairn_WriteInlineRequest__Output, _cairn_AttrReply>;
  
}

export interface MetaDefinition extends grpc.ServiceDefinition {
  AllocSlices: MethodDefinition<_cairn_AllocSlicesRequest, _cairn_AllocSlicesReply, _cairn_AllocSlicesRequest__Output, _cairn_AllocSlicesReply__Output>
  ChangeMasters: MethodDefinition<_cairn_ChangeMastersRequest, _cairn_ChangeMastersReply, _cairn_ChangeMastersRequest__Output, _cairn_ChangeMastersReply__Output>
  CloseSession: MethodDefinition<_cairn_RenewSessionRequest, _cairn_RenewSessionReply, _cairn_RenewSessionRequest__Output, _cairn_RenewSessionReply__Output>
  ClusterStatus: MethodDefinition<_cairn_ClusterStatusRequest, _cairn_ClusterStatusReply, _cairn_ClusterStatusRequest__Output, _cairn_ClusterStatusReply__Output>
  CommitSlices: MethodDefinition<_cairn_CommitSlicesRequest, _cairn_AttrReply, _cairn_CommitSlicesRequest__Output, _cairn_AttrReply__Output>
  Create: MethodDefinition<_cairn_CreateRequest, _cairn_AttrReply, _cairn_CreateRequest__Output, _cairn_AttrReply__Output>
  FileInfo: MethodDefinition<_cairn_InoRequest, _cairn_FileInfoReply, _cairn_InoRequest__Output, _cairn_FileInfoReply__Output>
  Fsck: MethodDefinition<_cairn_FsckRequest, _cairn_FsckReply, _cairn_FsckRequest__Output, _cairn_FsckReply__Output>
  GetAttr: MethodDefinition<_cairn_InoRequest, _cairn_AttrReply, _cairn_InoRequest__Output, _cairn_AttrReply__Output>
  GetXattr: MethodDefinition<_cairn_GetXattrRequest, _cairn_GetXattrReply, _cairn_GetXattrRequest__Output, _cairn_GetXattrReply__Output>
  Heartbeat: MethodDefinition<_cairn_HeartbeatRequest, _cairn_HeartbeatReply, _cairn_HeartbeatRequest__Output, _cairn_HeartbeatReply__Output>
  Link: MethodDefinition<_cairn_LinkRequest, _cairn_AttrReply, _cairn_LinkRequest__Output, _cairn_AttrReply__Output>
  ListXattr: MethodDefinition<_cairn_InoRequest, _cairn_ListXattrReply, _cairn_InoRequest__Output, _cairn_ListXattrReply__Output>
  Lock: MethodDefinition<_cairn_LockRequest, _cairn_LockReply, _cairn_LockRequest__Output, _cairn_LockReply__Output>
  Lookup: MethodDefinition<_cairn_LookupRequest, _cairn_AttrReply, _cairn_LookupRequest__Output, _cairn_AttrReply__Output>
  Open: MethodDefinition<_cairn_OpenRequest, _cairn_AttrReply, _cairn_OpenRequest__Output, _cairn_AttrReply__Output>
  OpenSession: MethodDefinition<_cairn_OpenSessionRequest, _cairn_OpenSessionReply, _cairn_OpenSessionRequest__Output, _cairn_OpenSessionReply__Output>
  ReadChunk: MethodDefinition<_cairn_ReadChunkRequest, _cairn_ReadChunkReply, _cairn_ReadChunkRequest__Output, _cairn_ReadChunkReply__Output>
  ReadDir: MethodDefinition<_cairn_ReadDirRequest, _cairn_ReadDirReply, _cairn_ReadDirRequest__Output, _cairn_ReadDirReply__Output>
  ReadLink: MethodDefinition<_cairn_InoRequest, _cairn_ReadLinkReply, _cairn_InoRequest__Output, _cairn_ReadLinkReply__Output>
  Release: MethodDefinition<_cairn_ReleaseRequest, _cairn_ReleaseReply, _cairn_ReleaseRequest__Output, _cairn_ReleaseReply__Output>
  RemoveXattr: MethodDefinition<_cairn_RemoveXattrRequest, _cairn_AttrReply, _cairn_RemoveXattrRequest__Output, _cairn_AttrReply__Output>
  Rename: MethodDefinition<_cairn_RenameRequest, _cairn_RenameReply, _cairn_RenameRequest__Output, _cairn_RenameReply__Output>
  RenewSession: MethodDefinition<_cairn_RenewSessionRequest, _cairn_RenewSessionReply, _cairn_RenewSessionRequest__Output, _cairn_RenewSessionReply__Output>
  SetAttr: MethodDefinition<_cairn_SetAttrRequest, _cairn_AttrReply, _cairn_SetAttrRequest__Output, _cairn_AttrReply__Output>
  SetXattr: MethodDefinition<_cairn_SetXattrRequest, _cairn_AttrReply, _cairn_SetXattrRequest__Output, _cairn_AttrReply__Output>
  StatFs: MethodDefinition<_cairn_StatFsRequest, _cairn_StatFsReply, _cairn_StatFsRequest__Output, _cairn_StatFsReply__Output>
  TestLock: MethodDefinition<_cairn_LockRequest, _cairn_LockReply, _cairn_LockRequest__Output, _cairn_LockReply__Output>
  Unlink: MethodDefinition<_cairn_UnlinkRequest, _cairn_UnlinkReply, _cairn_UnlinkRequest__Output, _cairn_UnlinkReply__Output>
  WriteInline: MethodDefinition<_cairn_WriteInlineRequest, _cairn_AttrReply, _cairn_WriteInlineRequest__Output, _cairn_AttrReply__Output>
}
