import type { Faker } from '@faker-js/faker';

/** What people write in the sandbox: subjects and messages a support inbox really sees. */

/** A conversation subject. Every template is evaluated, so the draw sequence never depends on the pick. */
export function subjectLine(faker: Faker): string {
  return faker.helpers.arrayElement([
    `Question about ${faker.commerce.productName()}`,
    `Order #${faker.number.int({ min: 10000, max: 99999 })} ${faker.helpers.arrayElement(['not delivered', 'refund', 'damaged'])}`,
    `Can't ${faker.helpers.arrayElement(['log in to', 'update', 'cancel', 'download', 'pay for'])} my ${faker.commerce.product().toLowerCase()}`,
    `Where is my ${faker.commerce.productName()}?`,
  ]);
}

export function messageBody(faker: Faker, fromCustomer: boolean): string {
  const product = faker.commerce.productName();
  const order = faker.number.int({ min: 10000, max: 99999 });
  const lines = fromCustomer
    ? [
        `Hi, my order #${order} has not arrived yet. Can you check?`,
        `The ${product} I bought stopped working after two days.`,
        `How do I change the email address on my account?`,
        `I was charged twice for order #${order}, please refund one of them.`,
        `Is the ${product} available in another colour?`,
        `Do you ship to ${faker.location.country()}?`,
      ]
    : [
        `Thanks for reaching out! I am looking into order #${order} now.`,
        `I have issued a refund; it should show up within 5 business days.`,
        `Could you send a photo of the ${product}, please?`,
        `You can change it under Settings, then Account.`,
        `Customer confirmed by phone, waiting for the courier.`,
        `Our ${faker.commerce.department()} team will get back to you today.`,
      ];
  return faker.helpers.arrayElements(lines, faker.datatype.boolean(0.3) ? 2 : 1).join(' ');
}
