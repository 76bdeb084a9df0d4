// The docs' Java example (docs/sdks.md quotes this file; the SDK test runs it, and so does the
// separate app built against the installed jar).
package shop;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.MutableTrackingEventDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.vexil.flags.FlagKeys;
import dev.vexil.flags.Flags;
import dev.vexil.provider.VexilOptions;
import dev.vexil.provider.VexilProvider;

public final class Example {
  private Example() {}

  public static String run(String url, String token) {
    OpenFeatureAPI api = OpenFeatureAPI.getInstance();
    api.setProviderAndWait(new VexilProvider(VexilOptions.builder(url).token(token).build()));
    Client client = api.getClient();
    Flags flags = new Flags(client);
    EvaluationContext user = new MutableContext("user-1").add("plan", "premium");
    boolean checkout = flags.newCheckout(user);
    Flags.ButtonColor color = flags.buttonColor(user); // an enum: BLUE or GREEN
    client.track("purchase", user, new MutableTrackingEventDetails(42.5).add("flag", FlagKeys.NEW_CHECKOUT));
    api.shutdown(); // sends the tracked events still queued
    return "checkout=" + checkout + " color=" + color.value();
  }

  public static void main(String[] args) {
    System.out.println(run(args[0], args[1]));
  }
}
