// The Java side of the cursor benchmark: lists every asset of a project through AssetCursor
// (Asset objects with parsed fields), ROUNDS times, and prints the mean ns per asset.
//   java -cp target/kili-native-0.1.0.jar:target/natives bench/CursorBench.java ENDPOINT API_KEY PROJECT_ID ROUNDS
import com.kili.nativesdk.Asset;
import com.kili.nativesdk.AssetCursor;
import com.kili.nativesdk.AssetQuery;
import com.kili.nativesdk.Json;
import com.kili.nativesdk.KiliClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

public class CursorBench {
    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[3]);
        try (KiliClient client = KiliClient.builder().apiEndpoint(args[0]).apiKey(args[1]).build()) {
            double best = Double.MAX_VALUE;
            long totalNs = 0;
            long totalItems = 0;
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                long items = 0;
                long sink = 0;
                try (AssetCursor c = client.assets(AssetQuery.project(args[2]))) {
                    while (c.hasNext()) {
                        Asset a = c.next();
                        sink += a.id().length(); // touch a field so nothing is optimised away
                        items++;
                    }
                }
                long ns = System.nanoTime() - t0;
                if (sink == 0) {
                    throw new IllegalStateException("no assets");
                }
                best = Math.min(best, (double) ns / items);
                totalNs += ns;
                totalItems += items;
            }
            System.out.printf("Java cursor: %d assets in %d rounds, mean %.0f ns/asset, best round %.0f ns/asset%n",
                    totalItems / rounds, rounds, (double) totalNs / totalItems, best);

            // The Java layer's own work per asset, without the server: what the cursor does with
            // each page the C ABI hands over (UTF-8 decode, JSON parse, Asset objects).
            List<Object> page = new ArrayList<>();
            try (AssetCursor c = client.assets(AssetQuery.project(args[2]).first(100))) {
                c.forEachRemaining(a -> page.add(a.fields()));
            }
            byte[] bytes = Json.write(page).getBytes(StandardCharsets.UTF_8);
            long iterations = 2000;
            long sink = 0;
            long t0 = 0;
            for (int warm = 0; warm < 2; warm++) { // the first pass warms the JIT up
                t0 = System.nanoTime();
                for (long i = 0; i < iterations; i++) {
                    List<?> parsed = (List<?>) Json.parse(new String(bytes, StandardCharsets.UTF_8));
                    sink += parsed.size();
                }
            }
            double conv = (double) (System.nanoTime() - t0) / (iterations * page.size());
            System.out.printf("Java layer alone (decode + parse of a %d-asset page, %d bytes): %.0f ns/asset (%d)%n",
                    page.size(), bytes.length, conv, sink % 10);
        }
    }
}
