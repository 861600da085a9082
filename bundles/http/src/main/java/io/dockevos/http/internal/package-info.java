/** The HTTP surface's implementation: tokens, the /api context that checks them, the REST resources. */
package io.dockevos.http.internal;
