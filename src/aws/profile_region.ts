/**
 * The region of the shared AWS configuration, as the SDK reads it: the
 * `region` of profile `AWS_PROFILE` (default `default`) in `AWS_CONFIG_FILE`
 * (default ~/.aws/config) or the credentials file. The edge where a CLI or
 * the processor learns its region when `AWS_REGION` is unset; the SDK's last
 * resort, the EC2 instance metadata, is left out (a pod or a laptop would
 * wait for it to time out).
 *
 * @module
 */
import { loadConfig } from "@smithy/core/config";

type Env = Readonly<Record<string, string | undefined>>;

/** The profile whose settings apply. */
export function profileName(env: Env): string {
  return env.AWS_PROFILE?.trim() || "default";
}

/** The `region` of the active profile, or undefined when it has none (or there is no config file). */
export async function profileRegion(env: Env): Promise<string | undefined> {
  const region = await loadConfig<string | undefined>(
    {
      environmentVariableSelector: () => undefined,
      configFileSelector: (profile) => profile.region?.trim() || undefined,
      default: () => undefined,
    },
    {
      profile: profileName(env),
      ...(env.AWS_CONFIG_FILE?.trim() ? { configFilepath: env.AWS_CONFIG_FILE.trim() } : {}),
      ...(env.AWS_SHARED_CREDENTIALS_FILE?.trim() ? { filepath: env.AWS_SHARED_CREDENTIALS_FILE.trim() } : {}),
      preferredFile: "credentials",
      ignoreCache: true,
    },
  )();
  return region;
}

/**
 * The region as the SDK resolves it: `AWS_REGION`, else `AWS_DEFAULT_REGION`
 * (what the AWS CLI and Lambda set), else the profile's.
 */
export async function resolveRegion(env: Env): Promise<string | undefined> {
  return env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim() || await profileRegion(env);
}

/** What `loadConfig` of src/config.ts needs beyond the environment: the profile's region, read only when needed. */
export async function configDefaults(env: Env): Promise<{ readonly profileRegion?: string }> {
  if (env.AWS_REGION?.trim() || env.AWS_DEFAULT_REGION?.trim()) return {};
  return { profileRegion: await profileRegion(env) };
}
