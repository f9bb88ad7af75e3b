'use client';

import { usePathname, useRouter } from 'next/navigation';
import { type FormEvent, type ReactNode, useTransition } from 'react';

type UrlFormProps = {
  label: string;
  children: ReactNode;
  className?: string;
  /** Apply changes as they happen (selects, checkboxes); text inputs still wait for Enter. */
  submitOnChange?: boolean;
};

function queryOf(form: HTMLFormElement): string {
  const params = new URLSearchParams();
  for (const [name, value] of new FormData(form)) {
    if (typeof value === 'string' && value.trim() !== '') params.append(name, value.trim());
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

/**
 * A GET form whose fields are the page's URL state. Without JavaScript it submits as a
 * normal form; with it, it pushes the new URL (a history entry, so back and forward work)
 * and Next re-renders the page's server components without a full reload.
 */
export function UrlForm({ label, children, className, submitOnChange = false }: UrlFormProps) {
  const router = useRouter();
  const pathname = usePathname();
  const [pending, startTransition] = useTransition();
  const navigate = (form: HTMLFormElement) =>
    startTransition(() => router.push(`${pathname}${queryOf(form)}`, { scroll: false }));
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    navigate(event.currentTarget);
  };
  const onChange = (event: FormEvent<HTMLFormElement>) => {
    const target = event.target;
    if (
      submitOnChange &&
      (target instanceof HTMLSelectElement || (target instanceof HTMLInputElement && target.type === 'checkbox'))
    ) {
      navigate(event.currentTarget);
    }
  };
  return (
    <form
      method="get"
      action={pathname}
      aria-label={label}
      aria-busy={pending}
      className={className}
      onSubmit={onSubmit}
      onChange={onChange}
      data-pending={pending ? 'true' : undefined}
    >
      {children}
    </form>
  );
}
