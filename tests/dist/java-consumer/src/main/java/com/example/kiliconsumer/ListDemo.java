package com.example.kiliconsumer;

import com.kili.nativesdk.Asset;
import com.kili.nativesdk.AssetCursor;
import com.kili.nativesdk.AssetQuery;
import com.kili.nativesdk.KiliClient;

/**
 * Lists a project through kili-native as a user's program would:
 * {@code ListDemo ENDPOINT API_KEY PROJECT_ID} prints the library version, one
 * {@code asset <id> <externalId>} line per asset, then the listed and counted totals.
 */
public final class ListDemo {
    private ListDemo() {}

    public static void main(String[] args) {
        if (args.length != 3) {
            System.err.println("usage: ListDemo ENDPOINT API_KEY PROJECT_ID");
            System.exit(2);
        }
        try (KiliClient client = KiliClient.builder().apiEndpoint(args[0]).apiKey(args[1]).build()) {
            System.out.println("kili-native " + KiliClient.libraryVersion());
            long listed = 0;
            try (AssetCursor cursor = client.assets(AssetQuery.project(args[2]).fields("id", "externalId"))) {
                while (cursor.hasNext()) {
                    Asset a = cursor.next();
                    System.out.println("asset " + a.id() + " " + a.externalId());
                    listed++;
                }
            }
            System.out.println("listed: " + listed);
            System.out.println("counted: " + client.countAssets(AssetQuery.project(args[2])));
        }
    }
}
