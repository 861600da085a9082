package io.dockevos.http;

import java.util.List;
import java.util.Optional;

/**
 * The bearer tokens of the HTTP surface, stored hashed in a file that only the runtime's user can
 * read ({@code data/http/tokens.json}).
 *
 * @since 0.1
 */
public interface Tokens {
  /** A token just made, with its secret: shown once, never kept. */
  record Created(Token token, String secret) {}

  /**
   * @param name a unique name: letters, digits, '.', '_' and '-', at most 64
   * @throws IllegalArgumentException naming the problem when the name is not valid or taken
   */
  Created create(String name, TokenScope scope);

  /** @return every token, by name */
  List<Token> list();

  /** @return whether there was a token of that name (it is gone now) */
  boolean revoke(String name);

  /** @return the token whose secret this is, noting its use; empty for any other text */
  Optional<Token> authenticate(String secret);
}
