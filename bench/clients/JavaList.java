// Benchmark client of bench/run.sh: lists a project through the Java wrapper (AssetCursor ->
// Asset) and prints {"secs", "items", "peak_rss_kb"}. Run as a single-file program:
//   java -Djava.library.path=DIR -cp kili-native-0.1.0.jar JavaList.java PROJECT FIELDS
// FIELDS: "default" or a comma list. Endpoint and key: KILI_API_ENDPOINT / KILI_API_KEY.
import com.kili.nativesdk.Asset;
import com.kili.nativesdk.AssetCursor;
import com.kili.nativesdk.AssetQuery;
import com.kili.nativesdk.KiliClient;
import java.nio.file.Files;
import java.nio.file.Path;

public class JavaList {
    static long peakRssKb() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (l.startsWith("VmHWM:")) {
                return Long.parseLong(l.substring(6).trim().split("\\s+")[0]);
            }
        }
        return 0;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: JavaList PROJECT FIELDS");
            System.exit(2);
        }
        try (KiliClient client = KiliClient.builder().rateLimitPerMinute(0).prefetchPages(2).build()) {
            AssetQuery q = AssetQuery.project(args[0]);
            if (!args[1].equals("default")) {
                q = q.fields(args[1].split(","));
            }
            long t = System.nanoTime();
            long n = 0;
            try (AssetCursor c = client.assets(q)) {
                while (c.hasNext()) {
                    Asset a = c.next();
                    if (!a.id().isEmpty()) {
                        n++;
                    }
                }
            }
            double secs = (System.nanoTime() - t) / 1e9;
            System.out.printf("{\"secs\": %f, \"items\": %d, \"peak_rss_kb\": %d}%n", secs, n, peakRssKb());
        }
    }
}
