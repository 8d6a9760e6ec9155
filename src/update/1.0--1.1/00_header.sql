/* bounce update script from 1.0 to the version in development, assembled by the Makefile from src/update/1.0--1.1/ (ALTER EXTENSION bounce UPDATE). */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "ALTER EXTENSION bounce UPDATE" to load this file. \quit

-- Every change since 1.0 is made here as well as in src/sql/ (which builds
-- the fresh install); test/checks/upgrade compares the two installs.  One
-- file per change, applied in name order.  One transaction: an enum value
-- added here cannot be used here (see the README's "Releases").
