export * from './marketplaces';
export * from './categories';
export * from './products';
export * from './images';
export * from './sales';
