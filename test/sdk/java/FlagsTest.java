// The generated Java SDK against a live evaluator (VEXIL_URL, VEXIL_TOKEN, VEXIL_FLAGS_DIR,
// VEXIL_SNAPSHOT_FILE): the same behaviour every language's SDK test checks, remote and local.
package shop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.ErrorCode;
import dev.openfeature.sdk.EvaluationContext;
import dev.openfeature.sdk.FlagEvaluationDetails;
import dev.openfeature.sdk.ImmutableContext;
import dev.openfeature.sdk.MutableContext;
import dev.openfeature.sdk.MutableTrackingEventDetails;
import dev.openfeature.sdk.OpenFeatureAPI;
import dev.openfeature.sdk.Reason;
import dev.openfeature.sdk.Value;
import dev.vexil.flags.FlagKeys;
import dev.vexil.flags.Flags;
import dev.vexil.flags.Variants;
import dev.vexil.provider.VexilOptions;
import dev.vexil.provider.VexilProvider;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FlagsTest {
  static final String URL = System.getenv("VEXIL_URL");
  static final String TOKEN = System.getenv("VEXIL_TOKEN");
  final OpenFeatureAPI api = OpenFeatureAPI.getInstance();

  static List<Object> picked(FlagEvaluationDetails<?> d) {
    return Arrays.asList(d.getValue(), d.getVariant(), d.getReason(), d.getErrorCode());
  }

  static EvaluationContext user(String key) {
    return new ImmutableContext(key);
  }

  @AfterEach
  void clean() {
    api.shutdown();
  }

  @Test
  @Order(1)
  void docsExampleRuns() {
    assertEquals("checkout=true color=green", Example.run(URL, TOKEN));
  }

  @Test
  @Order(2)
  void valuesVariantsReasonsAndErrors() {
    api.setProviderAndWait(new VexilProvider(URL, TOKEN));
    Client client = api.getClient();
    Flags flags = new Flags(client);
    assertTrue(flags.newCheckout(user("user-1")));
    assertTrue(flags.newCheckout(new MutableContext("user-2").add("country", "FR")));
    assertEquals(false, flags.newCheckout(user("user-3")));
    assertEquals(Arrays.asList(true, "on", "TARGETING_MATCH", null), picked(flags.newCheckoutDetails(user("user-1"))));
    assertEquals(Arrays.asList(false, "off", "DEFAULT", null), picked(flags.newCheckoutDetails(user("user-3"))));
    assertEquals(Flags.ButtonColor.GREEN, flags.buttonColor(new MutableContext("u").add("plan", "premium")));
    assertEquals(Flags.ButtonColor.BLUE, flags.buttonColor(user("u")));
    assertEquals(10.0, flags.maxItems()); // a whole number asked as a double
    Value config = flags.searchConfig();
    assertEquals("bm25", config.asStructure().getValue("algorithm").asString());
    assertEquals(1.5, config.asStructure().getValue("boost").asDouble());
    assertEquals(false, flags.flag2faRequired());
    assertEquals("new-checkout", FlagKeys.NEW_CHECKOUT);
    assertEquals("many", Variants.MaxItems.MANY);
    // a custom reason passes through as a reason, not an error
    assertEquals(Arrays.asList(false, "off", "PREREQUISITE_FAILED", null), picked(flags.expressPayDetails()));
    FlagEvaluationDetails<Boolean> missing = client.getBooleanDetails("no-such-flag", true, user("u"));
    assertEquals(Arrays.asList(true, null, Reason.ERROR.name(), ErrorCode.FLAG_NOT_FOUND), picked(missing));
    FlagEvaluationDetails<Boolean> mismatch = client.getBooleanDetails("button-color", false, user("u"));
    assertEquals(Arrays.asList(false, null, Reason.ERROR.name(), ErrorCode.TYPE_MISMATCH), picked(mismatch));
    assertEquals("flag \"button-color\" is a string, not a boolean", mismatch.getErrorMessage());
    assertEquals(10, client.getIntegerValue("max-items", 0)); // a whole number asked as an integer too
  }

  @Test
  @Order(3)
  void singleEvaluationWithApiKeyAndTheBodysErrorCode() {
    api.setProviderAndWait(new VexilProvider(VexilOptions.builder(URL).apiKey(TOKEN).cacheSize(0).build()));
    Client client = api.getClient();
    assertTrue(new Flags(client).newCheckout(user("user-1")));
    assertEquals(ErrorCode.FLAG_NOT_FOUND, client.getBooleanDetails("no-such-flag", true).getErrorCode());
    assertEquals(ErrorCode.TYPE_MISMATCH, client.getStringDetails("max-items", "x").getErrorCode());
    assertEquals(10.0, client.getDoubleValue("max-items", 0.0));
    assertEquals(Arrays.asList(false, "off", "PREREQUISITE_FAILED", null), picked(new Flags(client).expressPayDetails()));
    // a 400 answer's body says which error it is (not every 400 is INVALID_CONTEXT)
    FlagEvaluationDetails<Boolean> bad = client.getBooleanDetails("new-checkout", false,
        new MutableContext("u").add("targetingKey", 3.0));
    assertEquals(Reason.ERROR.name(), bad.getReason());
    assertEquals(ErrorCode.INVALID_CONTEXT, bad.getErrorCode());
  }

  @Test
  @Order(4)
  void trackedEventsAreSent() {
    VexilProvider provider = new VexilProvider(URL, TOKEN);
    api.setProviderAndWait(provider);
    Client client = api.getClient();
    EvaluationContext buyer = user("java-buyer");
    client.track("purchase", buyer, new MutableTrackingEventDetails(42.5).add("flag", "new-checkout"));
    client.track("signup", buyer);
    client.track("anonymous"); // no targeting key: not sent
    provider.flush(); // the harness checks what the evaluator stored
  }

  @Test
  @Order(5)
  void localModeAgreesWithRemote() {
    api.setProviderAndWait("remote", new VexilProvider(URL, TOKEN));
    api.setProviderAndWait("local", new VexilProvider(VexilOptions.builder(URL).token(TOKEN).local().build()));
    api.setProviderAndWait("offline",
        new VexilProvider(VexilOptions.offline(Path.of(System.getenv("VEXIL_SNAPSHOT_FILE"))).build()));
    List<EvaluationContext> contexts = List.of(user("user-1"), new MutableContext("user-2").add("country", "FR"),
        user("user-3"), new MutableContext("u").add("plan", "premium"), new ImmutableContext());
    int compared = 0;
    for (String mode : List.of("local", "offline")) {
      Client remote = api.getClient("remote");
      Client local = api.getClient(mode);
      for (EvaluationContext context : contexts) {
        for (String key : List.of("new-checkout", "payments-v2", "express-pay", "2fa-required", "legacy-gate")) {
          assertEquals(picked(remote.getBooleanDetails(key, true, context)), picked(local.getBooleanDetails(key, true, context)),
              mode + " " + key);
          compared++;
        }
        assertEquals(picked(remote.getStringDetails("button-color", "x", context)),
            picked(local.getStringDetails("button-color", "x", context)), mode);
        assertEquals(picked(remote.getDoubleDetails("max-items", 0.5, context)),
            picked(local.getDoubleDetails("max-items", 0.5, context)), mode);
        assertEquals(picked(remote.getObjectDetails("search-config", new Value(), context)),
            picked(local.getObjectDetails("search-config", new Value(), context)), mode);
        compared += 3;
      }
      assertEquals(ErrorCode.FLAG_NOT_FOUND, local.getBooleanDetails("no-such-flag", true).getErrorCode());
      assertEquals(ErrorCode.TYPE_MISMATCH, local.getBooleanDetails("button-color", true).getErrorCode());
      assertEquals(10, local.getIntegerValue("max-items", 0));
    }
    System.out.println("java: local mode agreed with remote on " + compared + " evaluations");
  }

  @Test
  @Order(6)
  void killSwitchArrivesThroughTheStreamWithinASecond() throws Exception {
    api.setProviderAndWait("remote", new VexilProvider(URL, TOKEN));
    api.setProviderAndWait("local", new VexilProvider(VexilOptions.builder(URL).token(TOKEN).local().build()));
    Flags remote = new Flags(api.getClient("remote"));
    Flags local = new Flags(api.getClient("local"));
    assertTrue(remote.paymentsV2(user("u")));
    assertTrue(local.paymentsV2(user("u")));
    Thread.sleep(300); // the streams are connected and have the current hash
    CountDownLatch changed = new CountDownLatch(2);
    api.getClient("remote").onProviderConfigurationChanged(details -> changed.countDown());
    api.getClient("local").onProviderConfigurationChanged(details -> changed.countDown());
    Path file = Path.of(System.getenv("VEXIL_FLAGS_DIR"), "payments.yaml");
    long started = System.nanoTime();
    Files.writeString(file, Files.readString(file).replace("killSwitch: false", "killSwitch: true"));
    assertTrue(changed.await(1, TimeUnit.SECONDS), "no PROVIDER_CONFIGURATION_CHANGED from both within a second");
    System.out.println("java: kill switch seen after " + (System.nanoTime() - started) / 1_000_000 + " ms");
    assertEquals(Arrays.asList(false, "off", "DISABLED", null), picked(remote.paymentsV2Details(user("u"))));
    assertEquals(Arrays.asList(false, "off", "DISABLED", null), picked(local.paymentsV2Details(user("u"))));
  }

  static final String EXPERIMENT = """
      apiVersion: flags.vexil.dev/v1alpha1
      kind: FeatureFlag
      metadata: {name: checkout-test}
      spec:
        type: boolean
        variants:
          - {name: "on", value: true, weight: 50}
          - {name: "off", value: false, weight: 50}
        defaultVariant: "off"
      ---
      apiVersion: flags.vexil.dev/v1alpha1
      kind: Experiment
      metadata: {name: checkout-experiment}
      spec:
        flag: checkout-test
        variants: [{variant: "on", weight: 50}, {variant: "off", weight: 50}]
        control: "off"
        metrics: [{name: purchase, event: purchase}]
      """;

  @Test
  @Order(7)
  void localExposuresOfAnExperimentAreSentAndA400sBodySaysWhichError() throws Exception {
    VexilProvider localProvider = new VexilProvider(VexilOptions.builder(URL).token(TOKEN).local().build());
    api.setProviderAndWait("local", localProvider);
    api.setProviderAndWait("remote", new VexilProvider(VexilOptions.builder(URL).token(TOKEN).cacheSize(0).build()));
    CountDownLatch changed = new CountDownLatch(1);
    api.getClient("local").onProviderConfigurationChanged(details -> changed.countDown());
    Files.writeString(Path.of(System.getenv("VEXIL_FLAGS_DIR"), "experiment.yaml"), EXPERIMENT);
    assertTrue(changed.await(5, TimeUnit.SECONDS), "the experiment did not arrive");
    Client local = api.getClient("local");
    for (int i = 0; i < 10; i++) {
      assertEquals(Reason.SPLIT.name(), local.getBooleanDetails("checkout-test", false, user("exp-" + i)).getReason());
    }
    localProvider.flush(); // the harness counts the exposures the evaluator stored
    // a weighted flag without a targeting key: the evaluator answers 400 with TARGETING_KEY_MISSING
    for (String mode : List.of("remote", "local")) {
      FlagEvaluationDetails<Boolean> noKey = api.getClient(mode).getBooleanDetails("checkout-test", false, new ImmutableContext());
      assertEquals(Arrays.asList(false, null, Reason.ERROR.name(), ErrorCode.TARGETING_KEY_MISSING), picked(noKey), mode);
    }
  }

  @Test
  @Order(8)
  void withoutTheStreamPollingSeesTheChange() throws Exception {
    VexilOptions polling = VexilOptions.builder(URL).token(TOKEN).stream(false).pollInterval(Duration.ofMillis(100)).build();
    api.setProviderAndWait("polling", new VexilProvider(polling));
    Flags flags = new Flags(api.getClient("polling"));
    assertEquals(false, flags.paymentsV2(user("u"))); // the kill switch is still on
    Thread.sleep(300); // a first poll has the current ETag
    CountDownLatch changed = new CountDownLatch(1);
    api.getClient("polling").onProviderConfigurationChanged(details -> changed.countDown());
    Path file = Path.of(System.getenv("VEXIL_FLAGS_DIR"), "payments.yaml");
    Files.writeString(file, Files.readString(file).replace("killSwitch: true", "killSwitch: false"));
    assertTrue(changed.await(3, TimeUnit.SECONDS), "no PROVIDER_CONFIGURATION_CHANGED from polling within 3 s");
    assertTrue(flags.paymentsV2(user("u")));
  }

  @Test
  @Order(9)
  void refusedCredentialsAndBadOptionsSayWhatIsWrong() {
    RuntimeException refused = assertThrows(RuntimeException.class,
        () -> api.setProviderAndWait("refused", new VexilProvider(URL, "not-the-token")));
    assertEquals("the evaluator answered: the evaluator refused the credentials (HTTP 403)", refused.getMessage());
    IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
        () -> VexilOptions.builder("ftp://flags").build());
    assertEquals("url must be an http(s) URL, got \"ftp://flags\"", scheme.getMessage());
    IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
        () -> VexilOptions.builder(URL).eventBatchSize(5000).build());
    assertEquals("eventBatchSize must be 1 to 1000, got 5000", batch.getMessage());
  }

  @Test
  @Order(10)
  void anEvaluatorThatNeverAnswersTimesOut() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      String url = "http://127.0.0.1:" + silent.getLocalPort(); // accepts connections, never answers
      VexilProvider provider = new VexilProvider(VexilOptions.builder(url).timeout(Duration.ofMillis(300)).build());
      long started = System.nanoTime();
      RuntimeException timedOut = assertThrows(RuntimeException.class, () -> api.setProviderAndWait("silent", provider));
      long millis = (System.nanoTime() - started) / 1_000_000;
      assertEquals("the evaluator did not answer in time", timedOut.getMessage());
      assertTrue(millis < 3000, "took " + millis + " ms");
    }
  }
}
