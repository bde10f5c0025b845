package dev.gatehouse.web;

import dev.gatehouse.outcome.Rejection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Keyset paging for the admin API's lists: {@code page_size} (1 to {@value #MOST}, {@value #DEFAULT} if
 * absent) and {@code page_token}, the sort key of the last item shown. A page is fetched one item long, so
 * whether there is a next one is known without counting; {@code next_page_token} is null on the last page.
 */
public final class Paging {
    public static final int DEFAULT = 50;
    public static final int MOST = 500;

    private Paging() {
    }

    /** The page size asked for; a wrong one is refused. */
    public static int size(String pageSize) {
        if (pageSize == null) {
            return DEFAULT;
        }
        try {
            int size = Integer.parseInt(pageSize);
            if (size >= 1 && size <= MOST) {
                return size;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw Rejection.invalid("page_size must be a whole number from 1 to " + MOST);
    }

    /** The token to start after: null for the first page. */
    public static String after(String pageToken) {
        return pageToken == null || pageToken.isBlank() ? null : pageToken;
    }

    /** {@code {<name>: [...], next_page_token}} from {@code fetched}, which holds up to {@code size + 1} items. */
    public static <T> Map<String, Object> page(String name, List<T> fetched, int size, Function<T, String> key, Function<T, ?> view) {
        boolean more = fetched.size() > size;
        List<T> shown = more ? fetched.subList(0, size) : fetched;
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put(name, shown.stream().map(view).toList());
        answer.put("next_page_token", more ? key.apply(shown.get(shown.size() - 1)) : null);
        return answer;
    }
}
