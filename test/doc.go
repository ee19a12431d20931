// Package test holds lot-trace's integration and end-to-end tests, run against one real Neo4j
// per `go test` run (see package testdb for how it is chosen).
package test
