/**
 * The region of the shared AWS configuration, as the SDK reads it: the
 * `region` of a profile in the config file (default ~/.aws/config) or the
 * credentials file. The edge where a CLI or the processor learns its region
 * when `AWS_REGION` is unset (src/config.ts reads which profile and files
 * from the environment); the SDK's last resort, the EC2 instance metadata,
 * is left out (a pod or a laptop would wait for it to time out).
 *
 * @module
 */
import { loadConfig } from "@smithy/core/config";

/** Which profile, in which files (undefined: the SDK's default paths). */
export interface ProfileFiles {
  readonly profile: string;
  readonly configFile?: string;
  readonly credentialsFile?: string;
}

/** The `region` of the profile, or undefined when it has none (or there is no config file). */
export async function profileRegion(files: ProfileFiles): Promise<string | undefined> {
  return await loadConfig<string | undefined>(
    {
      environmentVariableSelector: () => undefined,
      configFileSelector: (profile) => profile.region?.trim() || undefined,
      default: () => undefined,
    },
    {
      profile: files.profile,
      ...(files.configFile ? { configFilepath: files.configFile } : {}),
      ...(files.credentialsFile ? { filepath: files.credentialsFile } : {}),
      preferredFile: "credentials",
      ignoreCache: true,
    },
  )();
}
