// Channel and server options shared by every Cairn endpoint. The HTTP/2 flow-control windows are
// raised to 16 MiB because with the defaults grpc-js moves bulk data at ~150-250 MB/s instead of
// ~1-2 GB/s (FACTS.md); the receiver's window is what matters, so both sides raise theirs.
import type * as grpc from '@grpc/grpc-js';

export const flowControlWindowBytes = 16 * 1024 * 1024;
export const messageSizeMaxBytes = 80 * 1024 * 1024;

export const channelOptions: grpc.ChannelOptions = {
  'grpc-node.flow_control_window': flowControlWindowBytes,
  'grpc.max_receive_message_length': messageSizeMaxBytes,
  'grpc.max_send_message_length': messageSizeMaxBytes,
  'grpc.keepalive_time_ms': 10_000,
  'grpc.keepalive_timeout_ms': 5_000,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.initial_reconnect_backoff_ms': 100,
  'grpc.max_reconnect_backoff_ms': 1_000,
  'grpc.enable_retries': 0,
};

export const serverOptions: grpc.ServerOptions = {
  'grpc.max_receive_message_length': messageSizeMaxBytes,
  'grpc.max_send_message_length': messageSizeMaxBytes,
  'grpc.keepalive_permit_without_calls': 1,
  'grpc.http2.min_ping_interval_without_data_ms': 5_000,
};
