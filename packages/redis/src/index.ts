export { RedisVenueState, type RedisVenueStateOptions } from './redis-venue-state';
