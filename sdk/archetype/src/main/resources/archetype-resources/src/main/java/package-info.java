/** The plugin; nothing here is exported. */
package ${package};
