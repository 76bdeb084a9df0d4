// The docs' TypeScript example (docs/sdks.md quotes this file; the SDK test runs it).
import { OpenFeature } from "@openfeature/server-sdk";
import { ButtonColor, Flags, FlagKeys, VexilProvider } from "vexil-flags";

export async function example(url: string, token: string): Promise<string> {
  await OpenFeature.setProviderAndWait(new VexilProvider({ baseUrl: url, token }));
  const flags = new Flags(OpenFeature.getClient());
  const user = { targetingKey: "user-1", plan: "premium" };
  const checkout: boolean = await flags.newCheckout(user);
  const color: ButtonColor = await flags.buttonColor(user);
  OpenFeature.getClient().track("purchase", user, { value: 42.5, flag: FlagKeys.NEW_CHECKOUT });
  await OpenFeature.close(); // sends the tracked events still queued
  return `checkout=${checkout} color=${color === ButtonColor.GREEN ? "green" : "blue"}`;
}
