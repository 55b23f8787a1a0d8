import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { AllocSlicesReply as _cairn_AllocSlicesReply, AllocSlicesReply__Output as _cairn_AllocSlicesReply__Output } from './cairn/AllocSlicesReply.js';
import type { AllocSlicesRequest as _cairn_AllocSlicesRequest, AllocSlicesRequest__Output as _cairn_AllocSlicesRequest__Output } from './cairn/AllocSlicesRequest.js';
import type { Attr as _cairn_Attr, Attr__Output as _cairn_Attr__Output } from './cairn/Attr.js';
import type { AttrReply as _cairn_AttrReply, AttrReply__Output as _cairn_AttrReply__Output } from './cairn/AttrReply.js';
import type { ChangeMastersReply as _cairn_ChangeMastersReply, ChangeMastersReply__Output as _cairn_ChangeMastersReply__Output } from './cairn/ChangeMastersReply.js';
import type { ChangeMastersRequest as _cairn_ChangeMastersRequest, ChangeMastersRequest__Output as _cairn_ChangeMastersRequest__Output } from './cairn/ChangeMastersRequest.js';
import type { ChunkserverInfo as _cairn_ChunkserverInfo, ChunkserverInfo__Output as _cairn_ChunkserverInfo__Output } from './cairn/ChunkserverInfo.js';
import type { ClusterStatusReply as _cairn_ClusterStatusReply, ClusterStatusReply__Output as _cairn_ClusterStatusReply__Output } from './cairn/ClusterStatusReply.js';
import type { ClusterStatusRequest as _cairn_ClusterStatusRequest, ClusterStatusRequest__Output as _cairn_ClusterStatusRequest__Output } from './cairn/ClusterStatusRequest.js';
import type { CommitSlicesRequest as _cairn_CommitSlicesRequest, CommitSlicesRequest__Output as _cairn_CommitSlicesRequest__Output } from './cairn/CommitSlicesRequest.js';
import type { CreateRequest as _cairn_CreateRequest, CreateRequest__Output as _cairn_CreateRequest__Output } from './cairn/CreateRequest.js';
import type { DirEntry as _cairn_DirEntry, DirEntry__Output as _cairn_DirEntry__Output } from './cairn/DirEntry.js';
import type { FileInfoReply as _cairn_FileInfoReply, FileInfoReply__Output as _cairn_FileInfoReply__Output } from './cairn/FileInfoReply.js';
import type { FsckFile as _cairn_FsckFile, FsckFile__Output as _cairn_FsckFile__Output } from './cairn/FsckFile.js';
import type { FsckReply as _cairn_FsckReply, FsckReply__Output as _cairn_FsckReply__Output } from './cairn/FsckReply.js';
import type { FsckRequest as _cairn_FsckRequest, FsckRequest__Output as _cairn_FsckRequest__Output } from './cairn/FsckRequest.js';
import type { GetXattrReply as _cairn_GetXattrReply, GetXattrReply__Output as _cairn_GetXattrReply__Output } from './cairn/GetXattrReply.js';
import type { GetXattrRequest as _cairn_GetXattrRequest, GetXattrRequest__Output as _cairn_GetXattrRequest__Output } from './cairn/GetXattrRequest.js';
import type { HeartbeatReply as _cairn_HeartbeatReply, HeartbeatReply__Output as _cairn_HeartbeatReply__Output } from './cairn/HeartbeatReply.js';
import type { HeartbeatRequest as _cairn_HeartbeatRequest, HeartbeatRequest__Output as _cairn_HeartbeatRequest__Output } from './cairn/HeartbeatRequest.js';
import type { InoRequest as _cairn_InoRequest, InoRequest__Output as _cairn_InoRequest__Output } from './cairn/InoRequest.js';
import type { LinkRequest as _cairn_LinkRequest, LinkRequest__Output as _cairn_LinkRequest__Output } from './cairn/LinkRequest.js';
import type { ListXattrReply as _cairn_ListXattrReply, ListXattrReply__Output as _cairn_ListXattrReply__Output } from './cairn/ListXattrReply.js';
import type { Location as _cairn_Location, Location__Output as _cairn_Location__Output } from './cairn/Location.js';
import type { LockReply as _cairn_LockReply, LockReply__Output as _cairn_LockReply__Output } from './cairn/LockReply.js';
import type { LockRequest as _cairn_LockRequest, LockRequest__Output as _cairn_LockRequest__Output } from './cairn/LockRequest.js';
import type { LookupRequest as _cairn_LookupRequest, LookupRequest__Output as _cairn_LookupRequest__Output } from './cairn/LookupRequest.js';
import type { MasterInfo as _cairn_MasterInfo, MasterInfo__Output as _cairn_MasterInfo__Output } from './cairn/MasterInfo.js';
import type { MetaClient as _cairn_MetaClient, MetaDefinition as _cairn_MetaDefinition } from './cairn/Meta.js';
import type { OpenRequest as _cairn_OpenRequest, OpenRequest__Output as _cairn_OpenRequest__Output } from './cairn/OpenRequest.js';
import type { OpenSessionReply as _cairn_OpenSessionReply, OpenSessionReply__Output as _cairn_OpenSessionReply__Output } from './cairn/OpenSessionReply.js';
import type { OpenSessionRequest as _cairn_OpenSessionRequest, OpenSessionRequest__Output as _cairn_OpenSessionRequest__Output } from './cairn/OpenSessionRequest.js';
import type { ReadChunkReply as _cairn_ReadChunkReply, ReadChunkReply__Output as _cairn_ReadChunkReply__Output } from './cairn/ReadChunkReply.js';
import type { ReadChunkRequest as _cairn_ReadChunkRequest, ReadChunkRequest__Output as _cairn_ReadChunkRequest__Output } from './cairn/ReadChunkRequest.js';
import type { ReadDirReply as _cairn_ReadDirReply, ReadDirReply__Output as _cairn_ReadDirReply__Output } from './cairn/ReadDirReply.js';
import type { ReadDirRequest as _cairn_ReadDirRequest, ReadDirRequest__Output as _cairn_ReadDirRequest__Output } from './cairn/ReadDirRequest.js';
import type { ReadLinkReply as _cairn_ReadLinkReply, ReadLinkReply__Output as _cairn_ReadLinkReply__Output } from './cairn/ReadLinkReply.js';
import type { ReleaseReply as _cairn_ReleaseReply, ReleaseReply__Output as _cairn_ReleaseReply__Output } from './cairn/ReleaseReply.js';
import type { ReleaseRequest as _cairn_ReleaseRequest, ReleaseRequest__Output as _cairn_ReleaseRequest__Output } from './cairn/ReleaseRequest.js';
import type { RemoveXattrRequest as _cairn_RemoveXattrRequest, RemoveXattrRequest__Output as _cairn_RemoveXattrRequest__Output } from './cairn/RemoveXattrRequest.js';
import type { RenameReply as _cairn_RenameReply, RenameReply__Output as _cairn_RenameReply__Output } from './cairn/RenameReply.js';
import type { RenameRequest as _cairn_RenameRequest, RenameRequest__Output as _cairn_RenameRequest__Output } from './cairn/RenameRequest.js';
import type { RenewSessionReply as _cairn_RenewSessionReply, RenewSessionReply__Output as _cairn_RenewSessionReply__Output } from './cairn/RenewSessionReply.js';
import type { RenewSessionRequest as _cairn_RenewSessionRequest, RenewSessionRequest__Output as _cairn_RenewSessionRequest__Output } from './cairn/RenewSessionRequest.js';
import type { ReplicaInfo as _cairn_ReplicaInfo, ReplicaInfo__Output as _cairn_ReplicaInfo__Output } from './cairn/ReplicaInfo.js';
import type { ReplicateCommand as _cairn_ReplicateCommand, ReplicateCommand__Output as _cairn_ReplicateCommand__Output } from './cairn/ReplicateCommand.js';
import type { RequestHeader as _cairn_RequestHeader, RequestHeader__Output as _cairn_RequestHeader__Output } from './cairn/RequestHeader.js';
import type { Server as _cairn_Server, Server__Output as _cairn_Server__Output } from './cairn/Server.js';
import type { SetAttrRequest as _cairn_SetAttrRequest, SetAttrRequest__Output as _cairn_SetAttrRequest__Output } from './cairn/SetAttrRequest.js';
import type { SetXattrRequest as _cairn_SetXattrRequest, SetXattrRequest__Output as _cairn_SetXattrRequest__Output } from './cairn/SetXattrRequest.js';
import type { SliceCommit as _cairn_SliceCommit, SliceCommit__Output as _cairn_SliceCommit__Output } from './cairn/SliceCommit.js';
import type { SliceInfoEntry as _cairn_SliceInfoEntry, SliceInfoEntry__Output as _cairn_SliceInfoEntry__Output } from './cairn/SliceInfoEntry.js';
import type { SliceRef as _cairn_SliceRef, SliceRef__Output as _cairn_SliceRef__Output } from './cairn/SliceRef.js';
import type { SliceReport as _cairn_SliceReport, SliceReport__Output as _cairn_SliceReport__Output } from './cairn/SliceReport.js';
import type { StatFsReply as _cairn_StatFsReply, StatFsReply__Output as _cairn_StatFsReply__Output } from './cairn/StatFsReply.js';
import type { StatFsRequest as _cairn_StatFsRequest, StatFsRequest__Output as _cairn_StatFsRequest__Output } from './cairn/StatFsRequest.js';
import type { Status as _cairn_Status, Status__Output as _cairn_Status__Output } from './cairn/Status.js';
import type { UnlinkReply as _cairn_UnlinkReply, UnlinkReply__Output as _cairn_UnlinkReply__Output } from './cairn/UnlinkReply.js';
import type { UnlinkRequest as _cairn_UnlinkRequest, UnlinkRequest__Output as _cairn_UnlinkRequest__Output } from './cairn/UnlinkRequest.js';
import type { WriteInlineRequest as _cairn_WriteInlineRequest, WriteInlineRequest__Output as _cairn_WriteInlineRequest__Output } from './cairn/WriteInlineRequest.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  cairn: {
    AllocSlicesReply: MessageTypeDefinition<_cairn_AllocSlicesReply, _cairn_AllocSlicesReply__Output>
    AllocSlicesRequest: MessageTypeDefinition<_cairn_AllocSlicesRequest, _cairn_AllocSlicesRequest__Output>
    Attr: MessageTypeDefinition<_cairn_Attr, _cairn_Attr__Output>
    AttrReply: MessageTypeDefinition<_cairn_AttrReply, _cairn_AttrReply__Output>
    ChangeMastersReply: MessageTypeDefinition<_cairn_ChangeMastersReply, _cairn_ChangeMastersReply__Output>
    ChangeMastersRequest: MessageTypeDefinition<_cairn_ChangeMastersRequest, _cairn_ChangeMastersRequest__Output>
    ChunkserverInfo: MessageTypeDefinition<_cairn_ChunkserverInfo, _cairn_ChunkserverInfo__Output>
    ClusterStatusReply: MessageTypeDefinition<_cairn_ClusterStatusReply, _cairn_ClusterStatusReply__Output>
    ClusterStatusRequest: MessageTypeDefinition<_cairn_ClusterStatusRequest, _cairn_ClusterStatusRequest__Output>
    CommitSlicesRequest: MessageTypeDefinition<_cairn_CommitSlicesRequest, _cairn_CommitSlicesRequest__Output>
    CreateRequest: MessageTypeDefinition<_cairn_CreateRequest, _cairn_CreateRequest__Output>
    DirEntry: MessageTypeDefinition<_cairn_DirEntry, _cairn_DirEntry__Output>
    FileInfoReply: MessageTypeDefinition<_cairn_FileInfoReply, _cairn_FileInfoReply__Output>
    FsckFile: MessageTypeDefinition<_cairn_FsckFile, _cairn_FsckFile__Output>
    FsckReply: MessageTypeDefinition<_cairn_FsckReply, _cairn_FsckReply__Output>
    FsckRequest: MessageTypeDefinition<_cairn_FsckRequest, _cairn_FsckRequest__Output>
    GetXattrReply: MessageTypeDefinition<_cairn_GetXattrReply, _cairn_GetXattrReply__Output>
    GetXattrRequest: MessageTypeDefinition<_cairn_GetXattrRequest, _cairn_GetXattrRequest__Output>
    HeartbeatReply: MessageTypeDefinition<_cairn_HeartbeatReply, _cairn_HeartbeatReply__Output>
    HeartbeatRequest: MessageTypeDefinition<_cairn_HeartbeatRequest, _cairn_HeartbeatRequest__Output>
    InoRequest: MessageTypeDefinition<_cairn_InoRequest, _cairn_InoRequest__Output>
    LinkRequest: MessageTypeDefinition<_cairn_LinkRequest, _cairn_LinkRequest__Output>
    ListXattrReply: MessageTypeDefinition<_cairn_ListXattrReply, _cairn_ListXattrReply__Output>
    Location: MessageTypeDefinition<_cairn_Location, _cairn_Location__Output>
    LockReply: MessageTypeDefinition<_cairn_LockReply, _cairn_LockReply__Output>
    LockRequest: MessageTypeDefinition<_cairn_LockRequest, _cairn_LockRequest__Output>
    LookupRequest: MessageTypeDefinition<_cairn_LookupRequest, _cairn_LookupRequest__Output>
    MasterInfo: MessageTypeDefinition<_cairn_MasterInfo, _cairn_MasterInfo__Output>
    Meta: SubtypeConstructor<typeof grpc.Client, _cairn_MetaClient> & { service: _cairn_MetaDefinition }
    OpenRequest: MessageTypeDefinition<_cairn_OpenRequest, _cairn_OpenRequest__Output>
    OpenSessionReply: MessageTypeDefinition<_cairn_OpenSessionReply, _cairn_OpenSessionReply__Output>
    OpenSessionRequest: MessageTypeDefinition<_cairn_OpenSessionRequest, _cairn_OpenSessionRequest__Output>
    ReadChunkReply: MessageTypeDefinition<_cairn_ReadChunkReply, _cairn_ReadChunkReply__Output>
    ReadChunkRequest: MessageTypeDefinition<_cairn_ReadChunkRequest, _cairn_ReadChunkRequest__Output>
    ReadDirReply: MessageTypeDefinition<_cairn_ReadDirReply, _cairn_ReadDirReply__Output>
    ReadDirRequest: MessageTypeDefinition<_cairn_ReadDirRequest, _cairn_ReadDirRequest__Output>
    ReadLinkReply: MessageTypeDefinition<_cairn_ReadLinkReply, _cairn_ReadLinkReply__Output>
    ReleaseReply: MessageTypeDefinition<_cairn_ReleaseReply, _cairn_ReleaseReply__Output>
    ReleaseRequest: MessageTypeDefinition<_cairn_ReleaseRequest, _cairn_ReleaseRequest__Output>
    RemoveXattrRequest: MessageTypeDefinition<_cairn_RemoveXattrRequest, _cairn_RemoveXattrRequest__Output>
    RenameReply: MessageTypeDefinition<_cairn_RenameReply, _cairn_RenameReply__Output>
    RenameRequest: MessageTypeDefinition<_cairn_RenameRequest, _cairn_RenameRequest__Output>
    RenewSessionReply: MessageTypeDefinition<_cairn_RenewSessionReply, _cairn_RenewSessionReply__Output>
    RenewSessionRequest: MessageTypeDefinition<_cairn_RenewSessionRequest, _cairn_RenewSessionRequest__Output>
    ReplicaInfo: MessageTypeDefinition<_cairn_ReplicaInfo, _cairn_ReplicaInfo__Output>
    ReplicateCommand: MessageTypeDefinition<_cairn_ReplicateCommand, _cairn_ReplicateCommand__Output>
    RequestHeader: MessageTypeDefinition<_cairn_RequestHeader, _cairn_RequestHeader__Output>
    Server: MessageTypeDefinition<_cairn_Server, _cairn_Server__Output>
    SetAttrRequest: MessageTypeDefinition<_cairn_SetAttrRequest, _cairn_SetAttrRequest__Output>
    SetXattrRequest: MessageTypeDefinition<_cairn_SetXattrRequest, _cairn_SetXattrRequest__Output>
    SliceCommit: MessageTypeDefinition<_cairn_SliceCommit, _cairn_SliceCommit__Output>
    SliceInfoEntry: MessageTypeDefinition<_cairn_SliceInfoEntry, _cairn_SliceInfoEntry__Output>
    SliceRef: MessageTypeDefinition<_cairn_SliceRef, _cairn_SliceRef__Output>
    SliceReport: MessageTypeDefinition<_cairn_SliceReport, _cairn_SliceReport__Output>
    StatFsReply: MessageTypeDefinition<_cairn_StatFsReply, _cairn_StatFsReply__Output>
    StatFsRequest: MessageTypeDefinition<_cairn_StatFsRequest, _cairn_StatFsRequest__Output>
    Status: MessageTypeDefinition<_cairn_Status, _cairn_Status__Output>
    UnlinkReply: MessageTypeDefinition<_cairn_UnlinkReply, _cairn_UnlinkReply__Output>
    UnlinkRequest: MessageTypeDefinition<_cairn_UnlinkRequest, _cairn_UnlinkRequest__Output>
    WriteInlineRequest: MessageTypeDefinition<_cairn_WriteInlineRequest, _cairn_WriteInlineRequest__Output>
  }
}

