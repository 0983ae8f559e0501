/**
 * SDK client options for moto: straight at its endpoint with fake
 * credentials, acting in the central account or, through AssumeRole, inside
 * any other account (moto models several accounts: credentials from
 * AssumeRole act in the role's account; it checks no trust policy).
 *
 * @module
 */
import { AssumeRoleCommand, STSClient } from "@aws-sdk/client-sts";

/** The credentials every local client starts from (moto's default account 123456789012). */
export const FAKE_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

/** Credentials of one account. */
export interface AccountCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** Client options for moto at `endpoint` (path-style S3). */
export function motoClientConfig(endpoint: string, region: string, credentials: AccountCredentials = FAKE_CREDENTIALS) {
  return { endpoint, region, credentials, forcePathStyle: true };
}

/** Credentials acting inside `account` in moto, as session `sessionName` (default `local-reader`). */
export async function accountCredentials(
  endpoint: string,
  region: string,
  { account, sessionName = "local-reader" }: { readonly account: string; readonly sessionName?: string },
): Promise<AccountCredentials> {
  const sts = new STSClient(motoClientConfig(endpoint, region));
  try {
    const out = await sts.send(
      new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/${sessionName}`, RoleSessionName: sessionName }),
    );
    const c = out.Credentials!;
    return { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
  } finally {
    sts.destroy();
  }
}

/** Client options acting inside `account` in moto. */
export async function accountClientConfig(endpoint: string, region: string, account: string) {
  return motoClientConfig(endpoint, region, await accountCredentials(endpoint, region, { account }));
}

/** Environment for a subprocess (processor, deploy script, generator) pointed at moto with fake credentials. */
export function localAwsEnv(endpoint: string, region: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: FAKE_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: FAKE_CREDENTIALS.secretAccessKey,
    AWS_REGION: region,
    AWS_ENDPOINT_URL: endpoint,
  };
}
