// Original file: ../../proto/meta.proto


export interface OpenSessionRequest {
  'clientName'?: (string);
  'host'?: (string);
  'pid'?: (number);
}

export interface OpenSessionRequest__Output {
  'clientName': (string);
  'host': (string);
  'pid': (number);
}
