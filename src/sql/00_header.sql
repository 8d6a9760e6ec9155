/* bounce--1.0.sql - install script, assembled by the Makefile from src/sql/. */

-- complain if script is sourced in psql, rather than via CREATE EXTENSION
\echo Use "CREATE EXTENSION bounce" to load this file. \quit
