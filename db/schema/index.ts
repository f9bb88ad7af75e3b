export * from './marketplaces';
export * from './categories';
export * from './products';
export * from './images';
export * from './sales';
export * from './exchange-rates';
export * from './mart';
