/* bounce install script, assembled by the Makefile from src/sql/ (the version is bounce.control's default_version). */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION bounce" to load this file. \quit
