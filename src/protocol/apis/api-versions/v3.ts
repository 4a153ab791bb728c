// ApiVersions Request (Version: 3) => client_software_name client_software_version TAG_BUFFER
// ApiVersions Response (Version: 3) => error_code [api_keys] throttle_time_ms TAG_BUFFER
//   api_keys => api_key min_version max_version TAG_BUFFER
//   supported_features (tag 0) => name min_version max_version TAG_BUFFER
//   finalized_features (tag 2) => name max_version_level min_version_level TAG_BUFFER
import { array, bool, int16, int32, int64, message, string, struct, tagged, withDefault } from '../../schema.js';

export const request = message(true, {
  clientSoftwareName: string,
  clientSoftwareVersion: string,
});
export const response = message(true, {
  errorCode: int16,
  apiKeys: array(struct({
    apiKey: int16,
    minVersion: int16,
    maxVersion: int16,
  })),
  throttleTimeMs: int32,
  supportedFeatures: tagged(0, array(struct({
    name: string,
    minVersion: int16,
    maxVersion: int16,
  }))),
  finalizedFeaturesEpoch: tagged(1, withDefault(int64, -1n)),
  finalizedFeatures: tagged(2, array(struct({
    name: string,
    maxVersionLevel: int16,
    minVersionLevel: int16,
  }))),
  zkMigrationReady: tagged(3, withDefault(bool, false)),
});
