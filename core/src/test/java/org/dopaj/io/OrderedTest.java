package org.dopaj.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class OrderedTest {
    @Test
    void keysComeOutInTheOrderTheyWereWritten() {
        assertEquals(List.of("z", "a", "m", "b"), List.copyOf(Ordered.map("z", 1, "a", 2, "m", 3, "b", 4).keySet()));
        assertEquals("{\"removed\":\"x\",\"dir\":\"/d\"}", new com.google.gson.Gson().toJson(Ordered.map("removed", "x",
                "dir", "/d")));
        assertThrows(IllegalArgumentException.class, () -> Ordered.map("odd"));
    }
}
