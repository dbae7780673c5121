import type { FastifyRequest } from 'fastify';
import type { Rating } from '../db/schema.ts';

/** Set when an anonymous reader has agreed to see adult content; a session cookie, as AO3 remembers it. */
export const ADULT_COOKIE = 'oak_adult';

/** Ratings a visitor without an account is asked about first (AO3 asks for Not rated too: nobody said it is safe). */
export const isAdult = (rating: Rating) => rating === 'mature' || rating === 'explicit' || rating === 'not_rated';

/** Whether this request should get the adult-content notice instead of a story of that rating. */
export const needsAdultNotice = (request: FastifyRequest, rating: Rating) =>
  isAdult(rating) && !request.viewer && request.cookies[ADULT_COOKIE] !== '1';
