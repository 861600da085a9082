package io.dockevos.http;

import java.util.Locale;

/**
 * What a token may do: {@link #READ} reads (GET), {@link #ADMIN} also changes (POST, PUT, DELETE).
 *
 * @since 0.1
 */
public enum TokenScope {
  READ, ADMIN;

  /** @return {@code read} or {@code admin}, as commands and files write it */
  public String word() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** @throws IllegalArgumentException naming the scopes there are, when {@code word} is none of them */
  public static TokenScope of(String word) {
    for (TokenScope s : values()) {
      if (s.word().equals(word == null ? "" : word.trim().toLowerCase(Locale.ROOT))) {
        return s;
      }
    }
    throw new IllegalArgumentException("'" + word + "' is not a token scope: read or admin");
  }
}
