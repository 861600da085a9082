/** The Web Console's dockevOS tabs, its password, sessions and CSRF tokens, and its security provider. */
package io.dockevos.webconsole.internal;
