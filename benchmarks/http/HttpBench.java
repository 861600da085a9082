import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The REST API's load generator, on loopback, with the JDK's HttpClient.
 *
 * <pre>
 * java HttpBench.java load   BASE TOKEN THREADS WARMUP_S SECONDS   GET BASE/api/v1/plugins from THREADS clients
 * java HttpBench.java action BASE TOKEN N                          POST greeter/greet N times, one at a time
 * java HttpBench.java mcp    BASE TOKEN N                          tools/call greet at BASE/mcp N times, one at a time
 * </pre>
 *
 * {@code load} prints "requests/s p50_ms p99_ms max_ms errors"; {@code action} prints "rest_median_ms
 * invoke_mean_ms overhead_ms", where invoke_mean_ms is what ActionService measured of the same calls
 * (the action's figures in GET /api/v1/actions, before and after); {@code mcp} prints the same for
 * the MCP Streamable HTTP transport, as a client that speaks JSON-RPC over plain HTTP (one session:
 * initialize, initialized, then the calls, each answered as JSON or as one Server-Sent Event).
 */
public class HttpBench {
  public static void main(String[] args) throws Exception {
    String base = args[1];
    String token = args[2];
    HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    if (args[0].equals("load")) {
      load(http, base, token, Integer.parseInt(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]));
    } else if (args[0].equals("mcp")) {
      mcp(http, base, token, Integer.parseInt(args[3]));
    } else {
      action(http, base, token, Integer.parseInt(args[3]));
    }
  }

  static void load(HttpClient http, String base, String token, int threads, int warmup, int seconds) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/plugins"))
        .header("Authorization", "Bearer " + token).GET().build();
    AtomicBoolean measuring = new AtomicBoolean();
    AtomicBoolean stop = new AtomicBoolean();
    List<long[]> perThread = new ArrayList<>();
    int[] errors = new int[threads];
    int[] counts = new int[threads];
    List<Thread> all = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      long[] lat = new long[2_000_000];
      perThread.add(lat);
      int me = t;
      Thread th = new Thread(() -> {
        HttpClient own = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        while (!stop.get()) {
          long s = System.nanoTime();
          try {
            HttpResponse<byte[]> r = own.send(req, HttpResponse.BodyHandlers.ofByteArray());
            if (r.statusCode() != 200) {
              errors[me]++;
            }
          } catch (Exception e) {
            errors[me]++;
          }
          long d = System.nanoTime() - s;
          if (measuring.get() && counts[me] < lat.length) {
            lat[counts[me]++] = d;
          }
        }
      });
      th.start();
      all.add(th);
    }
    Thread.sleep(warmup * 1000L);
    Arrays.fill(errors, 0);
    measuring.set(true);
    long start = System.nanoTime();
    Thread.sleep(seconds * 1000L);
    measuring.set(false);
    long elapsed = System.nanoTime() - start;
    stop.set(true);
    for (Thread th : all) {
      th.join();
    }
    int n = Arrays.stream(counts).sum();
    long[] lat = new long[n];
    int at = 0;
    for (int t = 0; t < threads; t++) {
      System.arraycopy(perThread.get(t), 0, lat, at, counts[t]);
      at += counts[t];
    }
    Arrays.sort(lat);
    System.out.printf(Locale.ROOT, "%.0f %.2f %.2f %.2f %d%n", n / (elapsed / 1e9), lat[n / 2] / 1e6,
        lat[(int) (n * 0.99)] / 1e6, lat[n - 1] / 1e6, Arrays.stream(errors).sum());
  }

  static void action(HttpClient http, String base, String token, int n) throws Exception {
    HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/v1/actions/io.dockevos.example.greeter/greet"))
        .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"name\": \"Bench\"}")).build();
    for (int i = 0; i < n / 4; i++) {
      http.send(req, HttpResponse.BodyHandlers.discarding());
    }
    double[] before = stats(http, base, token);
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
      lat[i] = System.nanoTime() - s;
      if (r.statusCode() != 200) {
        throw new IllegalStateException("greet answered " + r.statusCode() + ": " + new String(r.body()));
      }
    }
    double[] after = stats(http, base, token);
    Arrays.sort(lat);
    double invoke = (after[1] * after[0] - before[1] * before[0]) / (after[0] - before[0]);
    double median = lat[n / 2] / 1e6;
    System.out.printf(Locale.ROOT, "%.3f %.3f %.3f%n", median, invoke, median - invoke);
  }

  static void mcp(HttpClient http, String base, String token, int n) throws Exception {
    HttpResponse<String> init = http.send(mcpPost(base, token, null, "{\"jsonrpc\":\"2.0\",\"id\":0,\"method\":"
        + "\"initialize\",\"params\":{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":"
        + "{\"name\":\"bench\",\"version\":\"1\"}}}"), HttpResponse.BodyHandlers.ofString());
    String session = init.headers().firstValue("Mcp-Session-Id").orElseThrow(() -> new IllegalStateException(
        "initialize answered " + init.statusCode() + " without a session: " + init.body()));
    http.send(mcpPost(base, token, session, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}"),
        HttpResponse.BodyHandlers.discarding());
    int id = 1;
    for (int i = 0; i < n / 4; i++) {
      mcpCall(http, base, token, session, id++);
    }
    double[] before = stats(http, base, token);
    long[] lat = new long[n];
    for (int i = 0; i < n; i++) {
      long s = System.nanoTime();
      mcpCall(http, base, token, session, id++);
      lat[i] = System.nanoTime() - s;
    }
    double[] after = stats(http, base, token);
    Arrays.sort(lat);
    double invoke = (after[1] * after[0] - before[1] * before[0]) / (after[0] - before[0]);
    double median = lat[n / 2] / 1e6;
    System.out.printf(Locale.ROOT, "%.3f %.3f %.3f%n", median, invoke, median - invoke);
  }

  private static void mcpCall(HttpClient http, String base, String token, String session, int id) throws Exception {
    HttpResponse<String> r = http.send(mcpPost(base, token, session, "{\"jsonrpc\":\"2.0\",\"id\":" + id
        + ",\"method\":\"tools/call\",\"params\":{\"name\":\"greet\",\"arguments\":{\"name\":\"Bench\"}}}"),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200 || !r.body().contains("Hello, Bench!") || r.body().contains("\"isError\":true")) {
      throw new IllegalStateException("tools/call greet answered " + r.statusCode() + ": " + r.body());
    }
  }

  private static HttpRequest mcpPost(String base, String token, String session, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/mcp")).header("Authorization", "Bearer " + token)
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header("Mcp-Session-Id", session);
    }
    return b.build();
  }

  /** @return the greet action's invocations and mean milliseconds, as GET /api/v1/actions shows them */
  static double[] stats(HttpClient http, String base, String token) throws Exception {
    String body = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/actions"))
        .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    int at = body.indexOf("\"command\": \"greeter:greet\"");
    Matcher inv = Pattern.compile("\"invocations\": (\\d+)").matcher(body);
    Matcher mean = Pattern.compile("\"meanMillis\": ([0-9.Ee-]+)").matcher(body);
    if (at < 0 || !inv.find(at) || !mean.find(at)) {
      throw new IllegalStateException("no figures for greeter:greet in " + body);
    }
    return new double[] {Double.parseDouble(inv.group(1)), Double.parseDouble(mean.group(1))};
  }
}
