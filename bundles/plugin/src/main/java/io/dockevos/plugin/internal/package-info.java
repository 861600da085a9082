/** The plugin manager implementation. */
package io.dockevos.plugin.internal;
