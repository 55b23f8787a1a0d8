// Original file: ../../proto/common.proto


export interface Status {
  'errno'?: (number);
  'message'?: (string);
  'notLeader'?: (boolean);
  'leaderHint'?: (string);
}

export interface Status__Output {
  'errno': (number);
  'message': (string);
  'notLeader': (boolean);
  'leaderHint': (string);
}
